#include "agent/ready_listener.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace octane::agent {
namespace {

constexpr auto kSlice = std::chrono::milliseconds(20);

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
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(kSlice.count())) > 0) {
            char message[256];
            ssize_t n;
            while ((n = recv(fd_, message, sizeof(message) - 1, 0)) > 0) {
                message[n] = '\0';
                // Only the child's own word counts; a stray sender cannot know the abstract name
                // in advance, but the message is checked all the same.
                if (std::strstr(message, "READY=1") != nullptr) {
                    return Readiness::kReady;
                }
            }
        }
        pid_t r = waitpid(child, status, WNOHANG);
        if (r == child || (r == -1 && errno == ECHILD)) {
            return Readiness::kExited;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return Readiness::kTimedOut;
        }
    }
}

}  // namespace octane::agent
