#include "agent/ready_listener.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/pidfd.h"

namespace octane::agent {
namespace {

std::atomic<unsigned> next_serial{0};

}  // namespace

Result<ReadyListener> ReadyListener::open() {
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd == -1) {
        return make_error(std::string("readiness socket: ") + std::strerror(errno));
    }
    std::string name = "octane-engine-ready-" + std::to_string(getpid()) + "-" +
                       std::to_string(next_serial.fetch_add(1));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + 1, name.data(), name.size());
    auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), size) == -1) {
        int saved = errno;
        close(fd);
        return make_error(std::string("readiness socket bind: ") + std::strerror(saved));
    }
    return ReadyListener(fd, std::move(name));
}

ReadyListener::ReadyListener(ReadyListener&& other) noexcept
    : fd_(other.fd_), name_(std::move(other.name_)) {
    other.fd_ = -1;
}

ReadyListener::~ReadyListener() {
    if (fd_ != -1) {
        close(fd_);
    }
}

std::string ReadyListener::environment_entry() const {
    return "NOTIFY_SOCKET=@" + name_;
}

Readiness ReadyListener::wait(pid_t child, std::chrono::milliseconds limit, int* status) {
    // One poll on the socket and on the child's exit (its pidfd): woken by either, never by a
    // period. The child is ours and not reaped yet, so its PID cannot have been recycled.
    auto pidfd = open_pidfd(child);
    if (!pidfd) {
        *status = 0;
        return Readiness::kExited;  // only fails when the child is no longer there
    }
    auto deadline = std::chrono::steady_clock::now() + limit;
    Readiness outcome = Readiness::kTimedOut;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p[2] = {{fd_, POLLIN, 0}, {*pidfd, POLLIN, 0}};
        int ready = poll(p, 2, static_cast<int>(std::max<int64_t>(left.count(), 0)));
        if (ready == -1 && errno == EINTR) {
            continue;
        }
        if (ready > 0 && (p[0].revents & POLLIN) != 0 && got_ready()) {
            outcome = Readiness::kReady;
            break;
        }
        if (ready > 0 && p[1].revents != 0) {
            waitpid(child, status, 0);  // exited: reaping does not block
            outcome = Readiness::kExited;
            break;
        }
        if (ready <= 0 && std::chrono::steady_clock::now() >= deadline) {
            break;
        }
    }
    close(*pidfd);
    return outcome;
}

bool ReadyListener::got_ready() {
    char message[256];
    ssize_t n;
    while ((n = recv(fd_, message, sizeof(message) - 1, 0)) > 0) {
        message[n] = '\0';
        // Only the child's own word counts; a stray sender cannot know the abstract name in
        // advance, but the message is checked all the same.
        if (std::strstr(message, "READY=1") != nullptr) {
            return true;
        }
    }
    return false;
}

}  // namespace octane::agent
