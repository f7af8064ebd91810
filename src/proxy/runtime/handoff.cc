#include "proxy/runtime/handoff.h"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace octane::proxy {
namespace {

socklen_t abstract_address(int pid, sockaddr_un& un) {
    std::string name = "octane-proxy-" + std::to_string(pid);
    un = sockaddr_un{};
    un.sun_family = AF_UNIX;
    un.sun_path[0] = '\0';
    std::memcpy(un.sun_path + 1, name.data(), name.size());
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
}

bool send_one(int sock, const std::string& key, int fd) {
    msghdr msg{};
    iovec iov{const_cast<char*>(key.data()), key.size()};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (fd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    return sendmsg(sock, &msg, MSG_NOSIGNAL) >= 0;
}

// Listening sockets let whoever holds them answer for the VIP, so they go only to a process of
// our own user (or root): any local process can reach an abstract socket in our namespace.
bool trusted_peer(int sock, int expected_pid) {
    ucred cred{};
    socklen_t len = sizeof(cred);
    if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
        return false;
    }
    if (expected_pid > 0 && cred.pid != expected_pid) {
        return false;  // another process squats the name of the one we reload
    }
    return cred.uid == 0 || cred.uid == geteuid();
}

}  // namespace

InheritedListeners fetch_listeners(int pid) {
    InheritedListeners out;
    int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (sock == -1) {
        return out;
    }
    sockaddr_un un{};
    socklen_t len = abstract_address(pid, un);
    if (connect(sock, reinterpret_cast<sockaddr*>(&un), len) == -1 || !trusted_peer(sock, pid)) {
        close(sock);
        return out;
    }
    // Bounded: at most 4096 messages, each awaited at most 2 s.
    for (int i = 0; i < 4096; ++i) {
        pollfd p{sock, POLLIN, 0};
        if (poll(&p, 1, 2000) != 1) {
            break;
        }
        char buf[256];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        iovec iov{buf, sizeof(buf)};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n <= 0) {
            break;
        }
        std::string key(buf, static_cast<size_t>(n));
        if (key == "end") {
            break;
        }
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        if (c != nullptr && c->cmsg_type == SCM_RIGHTS) {
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
            out[key].push_back(fd);
        }
    }
    close(sock);
    return out;
}

HandoffServer::~HandoffServer() {
    close();
}

void HandoffServer::close() {
    if (fd_ >= 0) {
        loop_.remove(fd_);
        ::close(fd_);
        fd_ = -1;
        fds_.clear();
    }
}

Result<void> HandoffServer::listen() {
    fd_ = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un un{};
    socklen_t len = abstract_address(getpid(), un);
    if (fd_ == -1 || bind(fd_, reinterpret_cast<sockaddr*>(&un), len) == -1 ||
        ::listen(fd_, 8) == -1) {
        return make_error(std::string("listener hand-over socket: ") + std::strerror(errno));
    }
    loop_.add(fd_, EPOLLIN, this);
    return {};
}

void HandoffServer::on_io(uint32_t, unsigned) {
    while (true) {
        int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c == -1) {
            return;
        }
        if (!trusted_peer(c, 0)) {
            ::close(c);
            continue;
        }
        // A handful of small datagrams into an empty socket buffer: blocking sends are instant.
        for (const auto& [key, fd] : fds_) {
            if (!send_one(c, key, fd)) {
                break;
            }
        }
        send_one(c, "end", -1);
        ::close(c);
    }
}

}  // namespace octane::proxy
