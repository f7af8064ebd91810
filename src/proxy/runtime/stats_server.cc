#include "proxy/runtime/stats_server.h"

#include <cerrno>
#include <cstring>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/strings.h"

namespace octane::proxy {
namespace {

// One client: reads a line, writes the whole reply (non-blocking, resumed on EPOLLOUT), closes.
class StatsConn final : public IoHandler, public Deferred {
  public:
    StatsConn(EventLoop& loop, int fd, const StatsServer::CommandHandler& handler)
        : loop_(loop), fd_(fd), handler_(handler) {}
    ~StatsConn() override {
        if (fd_ >= 0) {
            close(fd_);
        }
    }
    void on_io(uint32_t events, unsigned) override {
        if (done_) {
            return;
        }
        if (!replying_ && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))) {
            read_request();
        }
        if (replying_) {
            write_reply();
        }
    }

  private:
    void read_request() {
        char buf[1024];
        bool eof = false;
        while (true) {
            ssize_t n = recv(fd_, buf, sizeof(buf), 0);
            if (n > 0) {
                request_.append(buf, static_cast<size_t>(n));
                if (request_.size() > 64 * 1024) {
                    finish();
                    return;
                }
                continue;
            }
            eof = n == 0 || errno != EAGAIN;
            break;
        }
        size_t nl = request_.find('\n');
        if (nl == std::string::npos && !eof) {
            return;
        }
        std::string line = request_.substr(0, nl);
        reply_ = run_command_line(line, handler_);
        replying_ = true;
    }
    void write_reply() {
        while (sent_ < reply_.size()) {
            ssize_t n = send(fd_, reply_.data() + sent_, reply_.size() - sent_, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN) {
                    return;
                }
                break;
            }
            sent_ += static_cast<size_t>(n);
        }
        finish();
    }
    void finish() {
        done_ = true;
        loop_.close_fd(fd_);
        fd_ = -1;
        loop_.defer_delete(this);
    }

    EventLoop& loop_;
    int fd_;
    const StatsServer::CommandHandler& handler_;
    std::string request_;
    std::string reply_;
    size_t sent_ = 0;
    bool replying_ = false;
    bool done_ = false;
};

}  // namespace

std::string run_command_line(const std::string& line, const StatsServer::CommandHandler& handler) {
    std::string out;
    for (const auto& part : split(line, ';')) {
        std::string cmd(trim(part));
        if (!cmd.empty()) {
            out += handler(cmd);
        }
    }
    return out;
}

StatsServer::~StatsServer() {
    if (fd_ >= 0) {
        close(fd_);
    }
}

Result<void> StatsServer::listen(const std::string& path, unsigned mode) {
    sockaddr_un un{};
    if (path.size() >= sizeof(un.sun_path)) {
        return make_error("stats socket path too long: " + path);
    }
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ == -1) {
        return make_error(std::string("stats socket: ") + std::strerror(errno));
    }
    un.sun_family = AF_UNIX;
    std::memcpy(un.sun_path, path.c_str(), path.size() + 1);
    // Bind under a temporary name and rename over the old path, so a reloading peer's socket is
    // replaced atomically and clients never see the path missing.
    std::string tmp = path + "." + std::to_string(getpid()) + ".tmp";
    sockaddr_un tmpun{};
    tmpun.sun_family = AF_UNIX;
    if (tmp.size() >= sizeof(tmpun.sun_path)) {
        unlink(path.c_str());
        tmp = path;
    }
    std::memcpy(tmpun.sun_path, tmp.c_str(), tmp.size() + 1);
    unlink(tmp.c_str());
    if (bind(fd_, reinterpret_cast<sockaddr*>(&tmpun), sizeof(tmpun)) == -1) {
        return make_error("cannot bind stats socket " + path + ": " + std::strerror(errno));
    }
    if (mode != 0) {
        chmod(tmp.c_str(), mode);
    }
    if (::listen(fd_, 64) == -1 || (tmp != path && rename(tmp.c_str(), path.c_str()) == -1)) {
        return make_error("cannot listen on stats socket " + path + ": " + std::strerror(errno));
    }
    loop_.add(fd_, EPOLLIN, this);
    return {};
}

void StatsServer::on_io(uint32_t, unsigned) {
    while (true) {
        int fd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd == -1) {
            return;
        }
        auto* conn = new StatsConn(loop_, fd, handler_);
        loop_.add(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP, conn);
    }
}

}  // namespace octane::proxy
