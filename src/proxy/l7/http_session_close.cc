// How HttpSession ends a connection: at once (errors, client gone), gracefully (after the last
// response: FIN first, then the client's input is read and dropped until its FIN), and across a
// soft stop, where no request may be lost: a reload must not cost a single request.

#include <cerrno>

#include <sys/socket.h>

#include "proxy/l7/http_session.h"
#include "proxy/l7/http_session_exchange.h"
#include "proxy/runtime/worker.h"

namespace octane::proxy {
namespace {

// Soft stop: how long an idle keep-alive connection that served a request may still bring its
// next one. A client that already sent it (or is about to: wrk, browsers and pools reuse a
// connection the moment a response is read) gets it answered with `Connection: close`; closing
// at once would cut every such request. `hard-stop-after` bounds the whole process anyway.
constexpr int64_t kSoftStopIdleGraceMs = 1000;

// How long a gracefully closed connection is read and drained for the client's FIN. Bytes that
// arrive after close() make the kernel send a reset, and a reset makes the client's kernel drop
// the response it has not read yet.
constexpr int64_t kLingerMs = 1000;

}  // namespace

bool HttpSession::must_announce_close(const http::MessageHead& response) const {
    // A response that already ends the connection (Connection: close, HTTP/1.0 without
    // keep-alive) tells the client itself; a tunnel is not a keep-alive exchange.
    return response.keep_alive && !response.switch_to_tunnel &&
           (!x_->req_keep_alive || worker_.stopping());
}

void HttpSession::on_soft_stop() {
    // Mid-exchange: the response says `Connection: close` (or, already under way, the
    // connection goes idle after it and lands here again from reset_for_next).
    if (state_ != State::kIdle) {
        return;
    }
    // The last reply is still on its way to a slow reader: the grace starts once it is out
    // (flush_client), the keep-alive deadline holds meanwhile.
    if (x_ && x_->to_client_off < x_->to_client.size()) {
        return;
    }
    // A connection that has not sent its first request yet surely is about to: it keeps its
    // request timeout, unless it has none.
    if (!served_request_ && deadline_ != 0) {
        return;
    }
    int64_t grace_end = worker_.loop().now() + kSoftStopIdleGraceMs;
    if (deadline_ == 0 || deadline_ > grace_end) {
        set_deadline(kSoftStopIdleGraceMs);
    }
}

void HttpSession::on_idle_deadline() {
    // Edge-triggered epoll may deliver a request's event after this timer in the same round:
    // bytes already waiting are a request to serve, not a connection to close under it.
    char b = 0;
    if (cli_.has_pending() || recv(cli_.fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
        read_client();
        return;
    }
    close_gracefully();
}

void HttpSession::close_gracefully() {
    if (state_ == State::kClosed || state_ == State::kLingering) {
        return;
    }
    bool unsent = x_ && x_->to_client_off < x_->to_client.size();
    if (client_eof_ || unsent || cli_.shutdown_write() != 0) {
        close_session();  // nothing more will come, or nothing can be delivered any more
        return;
    }
    state_ = State::kLingering;
    worker_.unlink(this);
    set_deadline(kLingerMs);
    drain_lingering();
}

void HttpSession::drain_lingering() {
    char* buf = worker_.scratch();
    // Bounded: 64 reads per wakeup; a client that sends more than that after our FIN is not
    // reading either, and is closed.
    for (int i = 0; i < 64; ++i) {
        // Raw reads: what follows our close_notify is dropped unread, TLS or not.
        ssize_t n = recv(cli_.fd, buf, kIoBufferSize, 0);
        if (n > 0 || (n < 0 && errno == EINTR)) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;  // the next bytes (or the FIN) bring a new edge
        }
        break;  // the client's FIN, or an error
    }
    close_session();
}

void HttpSession::close_session() {
    if (state_ == State::kClosed) {
        return;
    }
    state_ = State::kClosed;
    worker_.unlink(this);
    worker_.loop().cancel(timer_);
    worker_.loop().close_fd(cli_.fd);
    cli_.release_tls();
    release_server();
    for (auto& c : conns_) {
        close_conn(*c);
    }
    if (be_ != nullptr) {
        be_->counters.close_session();
        be_ = nullptr;
    }
    fe_.counters.close_session();
    worker_.snapshot().cur_conns.fetch_sub(1, std::memory_order_relaxed);
    worker_.session_closed();
    worker_.loop().defer_delete(this);
}

}  // namespace octane::proxy
