#include "proxy/health/server_checker.h"

#include <cerrno>

#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proxy/io/socket_ops.h"
#include "proxy/tls/tls_context.h"

namespace octane::proxy::health {
namespace {
constexpr size_t kMaxResponse = 16 * 1024;
}

ServerChecker::ServerChecker(EventLoop& loop, CheckSpec spec, RiseFall machine,
                             CheckReporter& reporter)
    : loop_(loop), spec_(std::move(spec)), machine_(machine), reporter_(reporter), timer_(this) {}

ServerChecker::~ServerChecker() {
    loop_.cancel(timer_);
    io_.release_tls();
    if (fd_ >= 0) {
        close(fd_);
    }
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

void ServerChecker::start(int64_t delay_ms) {
    loop_.arm_in(timer_, delay_ms);
}

void ServerChecker::on_timer(Timer&) {
    if (phase_ == Phase::kIdle) {
        launch();
        return;
    }
    // A probe outlived its timeout.
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        finish(false, "PROCTOUT", 0);
        return;
    }
    finish(false,
           phase_ == Phase::kConnecting  ? "L4TOUT"
           : phase_ == Phase::kHandshake ? "L6TOUT"
                                         : "L7TOUT",
           0);
}

void ServerChecker::launch() {
    started_ms_ = loop_.now();
    sent_ = 0;
    response_.clear();
    if (spec_.kind == CheckKind::kExternal) {
        launch_external();
        return;
    }
    auto fd = start_connect(spec_.target);
    if (!fd) {
        finish(false, "L4CON", 0);
        return;
    }
    fd_ = *fd;
    phase_ = Phase::kConnecting;
    loop_.add(fd_, EPOLLIN | EPOLLOUT | EPOLLRDHUP, this);
    loop_.arm_in(timer_, spec_.connect_timeout_ms);
}

void ServerChecker::launch_external() {
    std::vector<char*> argv;
    for (auto& a : spec_.argv) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : spec_.env) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) {
        finish(false, "PROCERR", 0);
        return;
    }
    pid_ = pid;
    // A pidfd turns the child's exit into an ordinary readable event: no SIGCHLD handler.
    int pfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pfd < 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        finish(false, "PROCERR", 0);
        return;
    }
    fd_ = pfd;
    phase_ = Phase::kReading;
    loop_.add(fd_, EPOLLIN, this);
    loop_.arm_in(timer_, spec_.read_timeout_ms);
}

void ServerChecker::on_external_exit() {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) {
        return;
    }
    pid_ = -1;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    finish(ok, ok ? "PROCOK" : "PROCERR", WIFEXITED(status) ? WEXITSTATUS(status) : 0);
}

void ServerChecker::on_io(uint32_t events, unsigned) {
    if (fd_ < 0) {
        return;
    }
    if (spec_.kind == CheckKind::kExternal) {
        on_external_exit();
        return;
    }
    if (phase_ == Phase::kConnecting) {
        if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) {
            return;
        }
        if (socket_error(fd_) != 0 || (events & EPOLLERR)) {
            finish(false, "L4CON", 0);
            return;
        }
        if (spec_.tls != nullptr) {
            io_.fd = fd_;
            io_.ssl = spec_.tls->new_ssl(fd_, "");
            if (io_.ssl == nullptr) {
                finish(false, "L6RSP", 0);
                return;
            }
        }
        loop_.arm_in(timer_, spec_.read_timeout_ms);
        if (spec_.kind == CheckKind::kTcp && spec_.tls == nullptr) {
            finish(true, "L4OK", 0);
            return;
        }
        if (spec_.kind == CheckKind::kTcp) {
            phase_ = Phase::kHandshake;
            handshake();
            return;
        }
        phase_ = Phase::kSending;
    }
    if (phase_ == Phase::kHandshake) {
        handshake();
        return;
    }
    // TLS: the request's write may wait for the handshake's input.
    if (phase_ == Phase::kSending &&
        ((events & EPOLLOUT) != 0 || (io_.write_wants_read && (events & EPOLLIN) != 0))) {
        if (!send_request()) {
            return;
        }
    }
    if (phase_ == Phase::kReading && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
        on_readable();
    }
}

bool ServerChecker::send_request() {
    while (sent_ < spec_.request.size()) {
        ssize_t n = io_.ssl != nullptr
                        ? io_.send(spec_.request.data() + sent_, spec_.request.size() - sent_)
                        : send(fd_, spec_.request.data() + sent_, spec_.request.size() - sent_,
                               MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN) {
                return false;
            }
            finish(false, io_.handshake_done() ? "L7RSP" : "L6RSP", 0);
            return false;
        }
        sent_ += static_cast<size_t>(n);
    }
    phase_ = Phase::kReading;
    return true;
}

void ServerChecker::on_readable() {
    if (spec_.kind == CheckKind::kSslHello) {
        char b[512];
        ssize_t n = recv(fd_, b, sizeof(b), 0);
        if (n < 0 && errno == EAGAIN) {
            return;
        }
        // A handshake record (server hello) passes; an alert, garbage or a close fails.
        bool ok = n > 0 && static_cast<unsigned char>(b[0]) == 0x16;
        finish(ok, ok ? "L6OK" : "L6RSP", 0);
        return;
    }
    char buf[4096];
    bool eof = false;
    while (true) {
        ssize_t n =
            io_.ssl != nullptr ? io_.recv(buf, sizeof(buf)) : recv(fd_, buf, sizeof(buf), 0);
        if (n > 0) {
            if (response_.size() < kMaxResponse) {
                response_.append(buf, static_cast<size_t>(n));
            }
            continue;
        }
        if (n == 0) {
            eof = true;
        } else if (errno != EAGAIN) {
            eof = true;
        }
        break;
    }
    bool malformed = false;
    int status = parse_status_line(response_, &malformed);
    if (malformed || (status < 0 && eof)) {
        finish(false, "L7RSP", 0);
        return;
    }
    if (status < 0) {
        return;  // wait for the status line
    }
    if (spec_.expect->needs_body() && !eof && response_.size() < kMaxResponse) {
        return;  // string matches need the whole (bounded) response
    }
    size_t body = response_.find("\r\n\r\n");
    std::string_view body_view = body == std::string::npos
                                     ? std::string_view{}
                                     : std::string_view(response_).substr(body + 4);
    bool ok = spec_.expect->passes(status, body_view);
    finish(ok, ok ? "L7OK" : "L7STS", status);
}

void ServerChecker::handshake() {
    int r = io_.handshake();
    if (r == 0) {
        return;  // the next event goes on
    }
    finish(r > 0, r > 0 ? "L6OK" : "L6RSP", 0);
}

void ServerChecker::finish(bool passed, const char* status, int code) {
    io_.release_tls();
    io_.fd = -1;
    if (fd_ >= 0) {
        loop_.close_fd(fd_);
        fd_ = -1;
    }
    phase_ = Phase::kIdle;
    bool changed = passed ? machine_.on_success() : machine_.on_failure();
    CheckOutcome out{passed, status, code, loop_.now() - started_ms_};
    reporter_.on_check(out, machine_, changed);
    // HAProxy: `inter` when settled, fastinter while moving, downinter while down.
    int64_t next = spec_.inter_ms;
    if (!machine_.settled()) {
        next = spec_.fastinter_ms;
    } else if (!machine_.up()) {
        next = spec_.downinter_ms;
    }
    loop_.arm_in(timer_, next);
}

}  // namespace octane::proxy::health
