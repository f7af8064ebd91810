#include "proxy/udp/sctp_relay.h"

#include <cerrno>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/io/socket_ops.h"

namespace octane::proxy::udp {
namespace {

constexpr size_t kMaxMessage = 65536;
constexpr unsigned kClientTag = 0;
constexpr unsigned kServerTag = 1;

}  // namespace

SctpRelay::SctpRelay(EventLoop& loop, SctpRelayOwner& owner, size_t service, int server,
                     int client_fd, int server_fd)
    : loop_(loop), owner_(owner), service_(service), server_(server) {
    client_.fd = client_fd;
    server_side_.fd = server_fd;
}

SctpRelay::~SctpRelay() {
    close_quietly();
}

void SctpRelay::start() {
    uint32_t events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    loop_.add(client_.fd, events, this, kClientTag);
    loop_.add(server_side_.fd, events, this, kServerTag);
}

void SctpRelay::close_quietly() {
    for (Side* side : {&client_, &server_side_}) {
        if (side->fd >= 0) {
            loop_.close_fd(side->fd);
            side->fd = -1;
        }
    }
    closed_ = true;
}

void SctpRelay::end() {
    if (closed_) {
        return;
    }
    close_quietly();
    owner_.on_relay_closed(*this);  // the owner defers our deletion
}

bool SctpRelay::flush(Side& to) {
    while (!to.pending.empty()) {
        ssize_t n = send(to.fd, to.pending.data(), to.pending.size(), MSG_NOSIGNAL);
        if (n < 0) {
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        to.pending.erase(0, static_cast<size_t>(n));
    }
    return true;
}

bool SctpRelay::pump(Side& from, Side& to, bool to_server) {
    char buf[kMaxMessage];
    while (to.pending.empty()) {
        ssize_t n = recv(from.fd, buf, sizeof(buf), 0);
        if (n == 0) {
            return false;  // the association ended
        }
        if (n < 0) {
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        owner_.on_relay_bytes(*this, to_server, static_cast<size_t>(n));
        to.pending.assign(buf, static_cast<size_t>(n));
        if (!flush(to)) {
            return false;
        }
    }
    return true;
}

void SctpRelay::on_io(uint32_t events, unsigned tag) {
    if (closed_) {
        return;
    }
    if (!connected_) {
        if (tag != kServerTag || (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) {
            return;  // the client's messages wait in the kernel until the server is reached
        }
        if (socket_error(server_side_.fd) != 0) {
            end();
            return;
        }
        connected_ = true;
    }
    // Either side may have become readable or writable; a pass over both is cheap and keeps
    // the edge-triggered bookkeeping simple.
    bool ok = flush(server_side_) && flush(client_) && pump(client_, server_side_, true) &&
              pump(server_side_, client_, false);
    if (!ok || (events & (EPOLLERR | EPOLLHUP)) != 0) {
        end();
    }
}

}  // namespace octane::proxy::udp
