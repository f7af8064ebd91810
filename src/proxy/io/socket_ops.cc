#include "proxy/io/socket_ops.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netinet/tcp.h>
#include <unistd.h>

namespace octane::proxy {
namespace {

Unexpected<Error> errno_error(const std::string& what) {
    int e = errno;
    return make_error(what + ": " + std::strerror(e), e);
}

}  // namespace

Result<int> open_listener(const Endpoint& ep, int backlog) {
    int fd = socket(ep.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        return errno_error("socket");
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ep.family() == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    }
    if (bind(fd, ep.sa(), ep.length) == -1) {
        auto err = errno_error("cannot bind socket [" + ep.to_string() + "]");
        close(fd);
        return err;
    }
    if (listen(fd, backlog) == -1) {
        auto err = errno_error("cannot listen on [" + ep.to_string() + "]");
        close(fd);
        return err;
    }
    set_nodelay(fd);
    return fd;
}

Result<int> start_connect(const Endpoint& ep) {
    int fd = socket(ep.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        return errno_error("socket");
    }
    set_nodelay(fd);
    if (connect(fd, ep.sa(), ep.length) == -1 && errno != EINPROGRESS) {
        auto err = errno_error("connect");
        close(fd);
        return err;
    }
    return fd;
}

int socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1) {
        return errno;
    }
    return err;
}

void set_nodelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void close_reset(int fd) {
    linger lg{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    close(fd);
}

}  // namespace octane::proxy
