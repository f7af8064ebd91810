#include "proxy/runtime/access_log.h"

#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace octane::proxy {
namespace {

constexpr size_t kMaxQueued = 8192;

std::string clf_date() {
    // HAProxy's %t: 26/Nov/2026:12:34:56.789
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm t{};
    localtime_r(&ts.tv_sec, &t);
    char buf[64];
    size_t n = strftime(buf, sizeof(buf), "%d/%b/%Y:%H:%M:%S", &t);
    std::snprintf(buf + n, sizeof(buf) - n, ".%03ld", ts.tv_nsec / 1'000'000);
    return buf;
}

std::string variable(const std::string& name, const LogRecord& r) {
    if (name == "f" || name == "ft") {
        return r.frontend ? r.frontend->name : "-";
    }
    if (name == "b") {
        return r.backend ? r.backend->name : "-";
    }
    if (name == "s") {
        return r.server ? r.server->name : "<NOSRV>";
    }
    if (name == "ci") {
        return r.client ? r.client->host_string() : "-";
    }
    if (name == "cp") {
        return r.client ? std::to_string(r.client->port()) : "-";
    }
    if (name == "t") {
        return clf_date();
    }
    if (name == "Tt") {
        return std::to_string(r.total_ms);
    }
    if (name == "B") {
        return std::to_string(r.bytes_down);
    }
    if (name == "U") {
        return std::to_string(r.bytes_up);
    }
    if (name == "ST") {
        return std::to_string(r.status);
    }
    if (name == "r") {
        return r.request_line ? *r.request_line : "-";
    }
    if (name == "ts") {
        return std::string(r.term_state, 2);
    }
    if (name == "tsc") {
        return std::string(r.term_state, 2) + "--";
    }
    return "-";
}

}  // namespace

std::string format_log_line(const std::string& fmt, const LogRecord& rec) {
    std::string out;
    out.reserve(fmt.size() + 64);
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%' || i + 1 >= fmt.size()) {
            out.push_back(fmt[i]);
            continue;
        }
        if (fmt[i + 1] == '%') {  // HAProxy's literal percent
            out.push_back('%');
            ++i;
            continue;
        }
        bool quote = false;
        size_t j = i + 1;
        if (fmt[j] == '{') {
            size_t close = fmt.find('}', j);
            if (close == std::string::npos) {
                break;
            }
            quote = fmt.compare(j, close - j + 1, "{+Q}") == 0;
            j = close + 1;
        }
        std::string value;
        if (j < fmt.size() && fmt[j] == '[') {
            size_t close = fmt.find(']', j);
            std::string fetch = fmt.substr(j + 1, close == std::string::npos ? 0 : close - j - 1);
            j = close == std::string::npos ? fmt.size() : close + 1;
            // Octavia's format logs the client certificate's verify result and subject; other
            // fetches, and these on plain connections, log "-".
            value = "-";
            if (rec.tls != nullptr && fetch == "ssl_c_verify") {
                value = std::to_string(rec.tls->verify);
            } else if (rec.tls != nullptr && rec.tls->has_cert && fetch == "ssl_c_s_dn") {
                value = rec.tls->s_dn;
            }
        } else {
            size_t k = j;
            while (k < fmt.size() && (isalnum(static_cast<unsigned char>(fmt[k])) != 0)) {
                ++k;
            }
            value = variable(fmt.substr(j, k - j), rec);
            j = k;
        }
        if (quote) {
            out += '"' + value + '"';
        } else {
            out += value;
        }
        i = j - 1;
    }
    return out;
}

AccessLog::AccessLog(std::vector<std::string> targets) {
    for (const auto& t : targets) {
        Sink s;
        if (t == "stdout") {
            s.fd = STDOUT_FILENO;
        } else if (t == "stderr") {
            s.fd = STDERR_FILENO;
        } else if (t.rfind("file:", 0) == 0) {
            s.fd = open(t.c_str() + 5, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        } else if (!t.empty() && t[0] == '/') {
            s.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            sockaddr_un un{};
            un.sun_family = AF_UNIX;
            std::strncpy(un.sun_path, t.c_str(), sizeof(un.sun_path) - 1);
            if (s.fd >= 0 && connect(s.fd, reinterpret_cast<sockaddr*>(&un), sizeof(un)) != 0) {
                close(s.fd);
                s.fd = -1;  // no syslog socket (yet): logging to it is skipped
            }
            s.syslog = true;
        } else {
            std::string addr = t.rfind("udp@", 0) == 0 ? t.substr(4) : t;
            auto ep = parse_endpoint(addr, true);
            if (ep) {
                if (ep->port() == 0) {
                    ep->set_port(514);
                }
                s.addr = *ep;
                s.udp = true;
                s.syslog = true;
                s.fd = socket(ep->family(), SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            }
        }
        if (s.fd >= 0) {
            sinks_.push_back(s);
        }
    }
    if (!sinks_.empty()) {
        thread_ = std::thread([this] { run(); });
    }
}

AccessLog::~AccessLog() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
    for (const auto& s : sinks_) {
        if (s.fd > STDERR_FILENO) {
            close(s.fd);
        }
    }
}

void AccessLog::write(const LogRecord& rec) {
    if (sinks_.empty()) {
        return;
    }
    static const std::string kTcpFormat = "%ci:%cp [%t] %ft %b/%s %Tt %B %ts";
    static const std::string kHttpFormat = "%ci:%cp [%t] %ft %b/%s %Tt %ST %B %ts %{+Q}r";
    const std::string* fmt = &kTcpFormat;
    if (rec.frontend && !rec.frontend->log_format.empty()) {
        fmt = &rec.frontend->log_format;
    } else if (rec.frontend && rec.frontend->mode == config::Mode::kHttp) {
        fmt = &kHttpFormat;
    }
    write_line(format_log_line(*fmt, rec));
}

void AccessLog::write_line(std::string line) {
    if (sinks_.empty()) {
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.size() >= kMaxQueued) {
            dropped_.fetch_add(1);
            return;
        }
        queue_.push_back(std::move(line));
    }
    cv_.notify_one();
}

void AccessLog::run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty() && stop_) {
            return;
        }
        std::deque<std::string> batch;
        batch.swap(queue_);
        lock.unlock();
        for (const auto& line : batch) {
            deliver(line);
        }
        lock.lock();
    }
}

void AccessLog::deliver(const std::string& line) {
    for (const auto& s : sinks_) {
        ssize_t n = 0;
        if (s.syslog) {
            // <local0.info> = 16*8+6 = 134, RFC3164-style header without hostname.
            std::string msg = "<134>octane-proxy[" + std::to_string(getpid()) + "]: " + line;
            n = s.udp
                    ? sendto(s.fd, msg.data(), msg.size(), MSG_DONTWAIT, s.addr.sa(), s.addr.length)
                    : send(s.fd, msg.data(), msg.size(), MSG_DONTWAIT);
        } else {
            std::string msg = line + "\n";
            n = ::write(s.fd, msg.data(), msg.size());
        }
        if (n < 0) {
            dropped_.fetch_add(1);
        }
    }
}

}  // namespace octane::proxy
