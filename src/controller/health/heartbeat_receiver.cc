#include "controller/health/heartbeat_receiver.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace octane::controller::health {
namespace {

std::string peer_text(const sockaddr_storage& addr) {
    char host[INET6_ADDRSTRLEN] = "?";
    uint16_t port = 0;
    if (addr.ss_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        return std::string(host) + ":" + std::to_string(port);
    }
    if (addr.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
    }
    return "[" + std::string(host) + "]:" + std::to_string(port);
}

Result<int> bound_socket(const std::string& bind_ip, uint16_t port, uint16_t& bound_port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo* found = nullptr;
    std::string service = std::to_string(port);
    if (int rc = getaddrinfo(bind_ip.c_str(), service.c_str(), &hints, &found); rc != 0) {
        return make_error("health manager bind_ip '" + bind_ip + "': " + gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
    int fd = ::socket(found->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        return make_error(std::string("cannot create the heartbeat socket: ") +
                          std::strerror(errno));
    }
    if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
        std::string reason = std::strerror(errno);
        ::close(fd);
        return make_error("cannot bind the heartbeat socket to " + bind_ip + ":" + service + ": " +
                          reason);
    }
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
        ::close(fd);
        return make_error(std::string("getsockname: ") + std::strerror(errno));
    }
    bound_port = local.ss_family == AF_INET
                     ? ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port)
                     : ntohs(reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
    return fd;
}

}  // namespace

Result<std::unique_ptr<HeartbeatReceiver>> HeartbeatReceiver::open(const std::string& bind_ip,
                                                                   uint16_t port,
                                                                   size_t buffer_size) {
    uint16_t bound_port = 0;
    auto fd = bound_socket(bind_ip, port, bound_port);
    if (!fd) {
        return Unexpected(fd.error());
    }
    int wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake == -1) {
        ::close(*fd);
        return make_error(std::string("eventfd: ") + std::strerror(errno));
    }
    return std::unique_ptr<HeartbeatReceiver>(
        new HeartbeatReceiver(*fd, wake, bound_port, buffer_size));
}

HeartbeatReceiver::HeartbeatReceiver(int socket_fd, int wake_fd, uint16_t port, size_t buffer_size)
    : socket_fd_(socket_fd), wake_fd_(wake_fd), port_(port), buffer_(buffer_size) {}

HeartbeatReceiver::~HeartbeatReceiver() {
    stop();
    ::close(socket_fd_);
    ::close(wake_fd_);
}

void HeartbeatReceiver::start(Handler handler, Batch batch, std::chrono::milliseconds window) {
    handler_ = std::move(handler);
    batch_ = std::move(batch);
    window_ = window;
    thread_ = std::thread([this] { run(); });
}

void HeartbeatReceiver::stop() {
    if (!thread_.joinable()) {
        return;
    }
    uint64_t one = 1;
    if (::write(wake_fd_, &one, sizeof one) != sizeof one) {
        spdlog::error("health: cannot wake the heartbeat receiver: {}", std::strerror(errno));
    }
    thread_.join();
}

void HeartbeatReceiver::run() {
    pollfd fds[2] = {{socket_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    while (true) {
        int ready = ::poll(fds, 2, -1);
        if (ready == -1) {
            if (errno == EINTR) {
                continue;
            }
            spdlog::critical("health: poll on the heartbeat socket failed: {}",
                             std::strerror(errno));
            return;
        }
        if (fds[1].revents != 0) {
            return;
        }
        if (fds[0].revents != 0) {
            if (window_.count() > 0) {
                // The window is bounded and cut short by stop().
                pollfd wake{wake_fd_, POLLIN, 0};
                if (::poll(&wake, 1, static_cast<int>(window_.count())) > 0) {
                    return;
                }
            }
            if (batch_) {
                batch_([this] { drain(); });
            } else {
                drain();
            }
        }
    }
}

// Reads the queued datagrams, at most kBatch before poll() looks at the wake-up fd again (so a
// flood cannot keep stop() waiting).
void HeartbeatReceiver::drain() {
    constexpr int kBatch = 256;
    for (int i = 0; i < kBatch; ++i) {
        sockaddr_storage from{};
        socklen_t from_len = sizeof from;
        ssize_t n = ::recvfrom(socket_fd_, buffer_.data(), buffer_.size(), MSG_TRUNC,
                               reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n == -1) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                spdlog::warn("health: recvfrom: {}", std::strerror(errno));
            }
            return;
        }
        size_t full = static_cast<size_t>(n);
        size_t held = std::min(full, buffer_.size());
        try {
            handler_(std::string_view(buffer_.data(), held), full, peer_text(from));
        } catch (const std::exception& e) {
            spdlog::error("health: datagram from {} failed: {}", peer_text(from), e.what());
        }
    }
}

}  // namespace octane::controller::health
