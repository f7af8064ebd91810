#include "proxy/udp/health_probe.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/io/socket_ops.h"

namespace octane::proxy::udp {
namespace {

constexpr int64_t kUdpWaitCapMs = 1000;  // nc -w1 in Octavia's udp_check.sh
constexpr size_t kMaxHttpHead = 4096;

}  // namespace

HealthProbe::HealthProbe(EventLoop& loop, const RealServer& rs, Endpoint target,
                         ProbeSchedule schedule,
                         std::function<void(bool, const std::string&)> on_change)
    : loop_(loop),
      rs_(rs),
      target_(target),
      schedule_(schedule),
      on_change_(std::move(on_change)) {}

HealthProbe::~HealthProbe() {
    loop_.cancel(timer_);
    close_socket();
}

void HealthProbe::start() {
    begin();
}

void HealthProbe::close_socket() {
    if (fd_ >= 0) {
        loop_.close_fd(fd_);
        fd_ = -1;
    }
    connected_ = false;
    response_.clear();
}

void HealthProbe::begin() {
    running_ = true;
    int type = SOCK_STREAM;
    int proto = 0;
    if (rs_.check == CheckKind::kUdpConnect) {
        type = SOCK_DGRAM;
    } else if (rs_.check == CheckKind::kSctp) {
        proto = IPPROTO_SCTP;
    }
    int64_t wait = schedule_.timeout_ms;
    if (rs_.check == CheckKind::kUdpConnect) {
        wait = std::min(wait, kUdpWaitCapMs);
    }
    loop_.arm_in(timer_, wait);
    fd_ = socket(target_.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (fd_ < 0) {
        int e = errno;
        finish(false, e == EPROTONOSUPPORT && proto == IPPROTO_SCTP ? "kernel lacks SCTP"
                                                                    : std::strerror(e));
        return;
    }
    loop_.add(fd_, EPOLLIN | EPOLLOUT | EPOLLRDHUP, this);
    if (connect(fd_, target_.sa(), target_.length) != 0 && errno != EINPROGRESS) {
        finish(false, std::string("connect: ") + std::strerror(errno));
        return;
    }
    if (rs_.check == CheckKind::kUdpConnect) {
        connected_ = true;
        // nc -uz writes "X"; an unreachable port answers with ICMP, seen on the next call.
        if (send(fd_, "X", 1, MSG_NOSIGNAL) < 0 && errno == ECONNREFUSED) {
            finish(false, "port unreachable");
        }
    }
}

void HealthProbe::on_io(uint32_t events, unsigned) {
    if (!running_ || fd_ < 0) {
        return;
    }
    if (rs_.check == CheckKind::kUdpConnect) {
        char buf[512];
        ssize_t n = recv(fd_, buf, sizeof(buf), 0);
        if (n < 0 && errno == ECONNREFUSED) {
            finish(false, "port unreachable");
        } else if (n >= 0) {
            finish(true, "answered");
        } else if ((events & EPOLLERR) != 0) {
            int e = socket_error(fd_);
            if (e == ECONNREFUSED) {
                finish(false, "port unreachable");
            }
        }
        return;
    }
    if (!connected_) {
        if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) {
            return;
        }
        int e = socket_error(fd_);
        if (e != 0) {
            finish(false, std::string("connect: ") + std::strerror(e));
            return;
        }
        on_connected();
        if (!running_) {
            return;
        }
    }
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) != 0) {
        on_readable();
    }
}

void HealthProbe::on_connected() {
    connected_ = true;
    if (rs_.check != CheckKind::kHttpGet) {
        finish(true, "connected");
        return;
    }
    std::string path = rs_.url_path.empty() ? "/" : rs_.url_path;
    std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + target_.host_string() +
                          "\r\nConnection: close\r\n\r\n";
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
        finish(false, std::string("send: ") + std::strerror(errno));
    }
}

void HealthProbe::on_readable() {
    char buf[1024];
    for (;;) {
        ssize_t n = recv(fd_, buf, sizeof(buf), 0);
        if (n > 0) {
            response_.append(buf, static_cast<size_t>(n));
            if (response_.find("\r\n") != std::string::npos || response_.size() > kMaxHttpHead) {
                break;
            }
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return;
        }
        break;  // closed or failed: judge what arrived
    }
    // "HTTP/1.x NNN ..."
    int code = 0;
    if (response_.size() >= 12 && response_.compare(0, 5, "HTTP/") == 0) {
        code = std::atoi(response_.c_str() + 9);
    }
    std::vector<int> accepted = rs_.status_codes;
    if (accepted.empty()) {
        accepted.push_back(200);
    }
    if (std::find(accepted.begin(), accepted.end(), code) != accepted.end()) {
        finish(true, "status " + std::to_string(code));
    } else {
        finish(false, code == 0 ? "no HTTP status" : "status " + std::to_string(code));
    }
}

void HealthProbe::on_timer(Timer&) {
    if (!running_) {
        begin();
        return;
    }
    if (rs_.check == CheckKind::kUdpConnect) {
        finish(true, "no ICMP error");  // silence is success, as with nc -uz
    } else {
        finish(false, "timeout");
    }
}

void HealthProbe::finish(bool ok, const std::string& reason) {
    close_socket();
    running_ = false;
    reason_ = reason;
    bool was_up = up_;
    if (ok) {
        failures_ = 0;
        up_ = true;
    } else {
        ++failures_total_;
        if (++failures_ >= std::max(1, schedule_.retry)) {
            up_ = false;
        }
    }
    if (up_ != was_up) {
        on_change_(up_, reason);
    }
    int64_t next = !ok && up_ ? schedule_.retry_delay_ms : schedule_.delay_ms;
    loop_.arm_in(timer_, next);
}

}  // namespace octane::proxy::udp
