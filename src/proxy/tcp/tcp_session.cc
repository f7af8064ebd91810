#include "proxy/tcp/tcp_session.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/io/proxy_header.h"
#include "proxy/io/socket_ops.h"
#include "proxy/io/tcp_counts.h"
#include "proxy/runtime/access_log.h"
#include "proxy/runtime/server_pick.h"
#include "proxy/runtime/thread_activity.h"
#include "proxy/runtime/worker.h"
#include "proxy/sockmap/sockmap.h"
#include "proxy/tls/tls_context.h"

namespace octane::proxy {
namespace {

constexpr uint32_t kEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
constexpr unsigned kClientTag = 0;
constexpr unsigned kServerTag = 1;

int64_t ms_or(const std::optional<config::Millis>& v, int64_t fallback) {
    return v ? v->count() : fallback;
}

bool is_again(int e) {
    return e == EAGAIN || e == EWOULDBLOCK;
}

// Consecutive full reads (128 KiB) after which a direction switches to splice(2).
constexpr uint8_t kAutoSpliceAfter = 2;

// Longest pause between two looks at a kernel direction whose FIN waits for its bytes to leave.
constexpr int64_t kKernelDrainMaxWaitMs = 64;

}  // namespace

TcpSession::TcpSession(Worker& worker, FrontendState& fe, int client_fd, const Endpoint& peer)
    : worker_(worker), fe_(fe), be_(fe.default_backend), peer_(peer), timer_(this) {
    client_.io.fd = client_fd;
    accept_ms_ = worker_.loop().now();
    last_activity_ = accept_ms_;
    // Tunnel idle limit: the shorter of the client and server inactivity timeouts.
    int64_t client_to = ms_or(fe_.cfg->timeouts.client, 0);
    int64_t server_to = be_ ? ms_or(be_->cfg->timeouts.server, 0) : 0;
    if (be_ && be_->cfg->timeouts.tunnel) {
        client_to = server_to = be_->cfg->timeouts.tunnel->count();
    }
    idle_timeout_ms_ = client_to == 0   ? server_to
                       : server_to == 0 ? client_to
                                        : std::min(client_to, server_to);
    retries_left_ = be_ ? be_->cfg->retries : 0;
    // Counted by the listener that accepted it (runtime/worker.cc): it may have come from another
    // thread.
}

TcpSession::~TcpSession() = default;

void TcpSession::touch() {
    last_activity_ = worker_.loop().now();
}

void TcpSession::start() {
    worker_.loop().add(client_.io.fd, kEvents, this, kClientTag);
    if (be_ == nullptr) {
        close_session(true);
        return;
    }
    be_->counters.open_session();
    if (!connect_server(-1)) {
        close_session(true);
    }
}

bool TcpSession::connect_server(int avoid) {
    srv_ = pick_server(*be_, peer_, avoid);
    if (srv_ == nullptr) {
        return false;
    }
    return connect_picked();
}

bool TcpSession::connect_picked() {
    srv_->counters.open_session();
    server_ = Side{};
    auto fd = start_connect(srv_->cfg->endpoint);
    state_ = State::kConnecting;
    connect_ms_ = worker_.loop().now();
    if (!fd) {
        on_connect_result(fd.error().code == 0 ? ECONNREFUSED : fd.error().code);
        return state_ != State::kClosed;
    }
    server_.io.fd = *fd;
    worker_.loop().add(server_.io.fd, kEvents, this, kServerTag);
    worker_.loop().arm_in(timer_, ms_or(be_->cfg->timeouts.connect, 5000));
    return true;
}

void TcpSession::on_connect_result(int err) {
    if (err == 0) {
        established();
        return;
    }
    Counters::add(srv_->counters.econ, 1);
    Counters::add(be_->counters.econ, 1);
    if (server_.io.fd >= 0) {
        worker_.loop().close_fd(server_.io.fd);
        server_.io.fd = -1;
    }
    retry_or_fail();
}

void TcpSession::retry_or_fail() {
    srv_->counters.close_session();
    be_->release(srv_);
    RetryStep step = next_retry(*be_, *srv_, retries_left_);
    if (step != RetryStep::kSameServer) {
        if (step == RetryStep::kGiveUp || !connect_server(srv_->id)) {
            srv_ = nullptr;
            close_session(true);
        }
        return;
    }
    // HAProxy waits min(timeout connect, 1s) before retrying the same server.
    retry_server_ = srv_;
    srv_ = nullptr;
    state_ = State::kTurnaround;
    worker_.loop().arm_in(timer_, std::min<int64_t>(ms_or(be_->cfg->timeouts.connect, 1000), 1000));
}

void TcpSession::established() {
    state_ = State::kEstablished;
    touch();
    const config::ProxySection& bc = *be_->cfg;
    c2s_.splice = bc.splice_request || bc.splice_auto;
    s2c_.splice = bc.splice_response || bc.splice_auto;
    if (srv_->cfg->send_proxy != config::ProxyProtocol::kNone) {
        sockaddr_storage local{};
        socklen_t len = sizeof(local);
        // Without the address the client reached, no truthful PROXY header can be sent, and
        // the server must not see the connection without one.
        if (getsockname(client_.io.fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
            close_session(true);
            return;
        }
        Endpoint dst = endpoint_from(reinterpret_cast<sockaddr*>(&local), len);
        c2s_.buf = worker_.buffers().get();
        c2s_.off = 0;
        c2s_.len = static_cast<uint32_t>(srv_->cfg->send_proxy == config::ProxyProtocol::kV1
                                             ? write_proxy_v1(peer_, dst, c2s_.buf, kIoBufferSize)
                                             : write_proxy_v2(peer_, dst, c2s_.buf, kIoBufferSize));
    }
    if (srv_->tls != nullptr && !start_server_tls()) {
        close_session(true);
        return;
    }
    arm_idle_timer();
    drive();
}

bool TcpSession::start_server_tls() {
    // The PROXY header goes in the clear, before the ClientHello (as HAProxy sends it): on a
    // socket that just connected its few bytes fit the empty send buffer.
    if (c2s_.len > 0) {
        ssize_t n = send(server_.io.fd, c2s_.buf, c2s_.len, MSG_NOSIGNAL);
        if (n != static_cast<ssize_t>(c2s_.len)) {
            return false;
        }
        worker_.buffers().put(c2s_.buf);
        c2s_ = Flow{};
    }
    c2s_.splice = s2c_.splice = false;
    // No SNI expression has a value in mode tcp (no client TLS): only str(<name>) gives one.
    const std::string& expr = srv_->cfg->tls.sni;
    std::string sni = expr.starts_with("str(") ? expr.substr(4, expr.size() - 5) : "";
    server_.io.ssl = srv_->tls->new_ssl(server_.io.fd, sni);
    // The ClientHello goes now: a server that speaks first would otherwise wait forever.
    return server_.io.ssl != nullptr && server_.io.handshake() >= 0;
}

void TcpSession::arm_idle_timer() {
    if (idle_timeout_ms_ > 0) {
        worker_.loop().arm(timer_, last_activity_ + idle_timeout_ms_);
    } else {
        worker_.loop().cancel(timer_);
    }
}

void TcpSession::on_timer(Timer&) {
    switch (state_) {
        case State::kConnecting:
            on_connect_result(ETIMEDOUT);
            return;
        case State::kTurnaround:
            // Same server if it can still take the connection, else whoever the balancer says.
            srv_ = be_->take_specific(retry_server_);
            retry_server_ = nullptr;
            if (srv_ != nullptr ? !connect_picked() : !connect_server(-1)) {
                close_session(true);
            }
            return;
        case State::kEstablished:
            if (joined_) {
                on_kernel_timer();
                return;
            }
            if (worker_.loop().now() < last_activity_ + idle_timeout_ms_) {
                arm_idle_timer();  // activity since arming: move the deadline, lazily
                return;
            }
            close_session(true);
            return;
        case State::kClosed:
            return;
    }
}

void TcpSession::on_io(uint32_t events, unsigned tag) {
    if (state_ == State::kClosed) {
        return;
    }
    Side& side = tag == kClientTag ? client_ : server_;
    if (tag == kServerTag && state_ == State::kConnecting) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
            int err = (events & (EPOLLERR | EPOLLHUP)) ? socket_error(server_.io.fd) : 0;
            if ((events & (EPOLLERR | EPOLLHUP)) && err == 0) {
                err = ECONNREFUSED;
            }
            if (err == 0) {
                server_.writable = true;
                server_.readable = (events & EPOLLIN) != 0;
                server_.fin_queued = (events & EPOLLRDHUP) != 0;  // no EPOLLERR: err == 0
            }
            on_connect_result(err);
        }
        return;
    }
    if (joined_ && (events & EPOLLERR)) {
        // A reset: what the kernel still holds for either side cannot be delivered.
        close_session(true);
        return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        side.readable = true;
    }
    if ((events & (EPOLLRDHUP | EPOLLERR)) == EPOLLRDHUP) {
        side.fin_queued = true;  // a reset (EPOLLERR) must still surface through recv()
    }
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
        side.writable = true;
    }
    // TLS: a write blocked on the handshake's input resumes on input, a read on room on output.
    if (side.io.write_wants_read && (events & EPOLLIN)) {
        side.writable = true;
    }
    if (side.io.read_wants_write && (events & EPOLLOUT)) {
        side.readable = true;
    }
    if (state_ == State::kEstablished) {
        drive();
    }
}

void TcpSession::drive() {
    if (!move(client_, server_, c2s_) || !move(server_, client_, s2c_)) {
        close_session(true);
        return;
    }
    bool c2s_flushed = c2s_.len == 0 && c2s_.in_pipe == 0;
    bool s2c_flushed = s2c_.len == 0 && s2c_.in_pipe == 0;
    bool c2s_done = client_.eof && c2s_flushed;
    bool s2c_done = server_.eof && s2c_flushed;
    if (c2s_done && s2c_done) {
        // Both sides finished: close() sends the FINs, no shutdown() needed.
        close_session(false);
        return;
    }
    // Half-close: forward a FIN once everything before it was delivered.
    if (c2s_done && !server_.shut_wr) {
        server_.io.shutdown_write();
        server_.shut_wr = true;
    }
    if (s2c_done && !client_.shut_wr) {
        shutdown(client_.io.fd, SHUT_WR);
        client_.shut_wr = true;
    }
    if (!join_done_) {
        try_join();
    }
}

bool TcpSession::move(Side& from, Side& to, Flow& f) {
    return f.kernel ? kernel_flow(from, to, f) : pump(from, to, f);
}

void TcpSession::try_join() {
    Sockmap* sockmap = worker_.snapshot().sockmap;
    for (Flow* f : {&c2s_, &s2c_}) {
        Side& from = f == &c2s_ ? client_ : server_;
        Side& to = f == &c2s_ ? server_ : client_;
        if (f->kernel || f->no_join) {
            continue;
        }
        JoinInputs in;
        in.available = sockmap != nullptr;
        in.encrypted = client_.io.ssl != nullptr || server_.io.ssl != nullptr;
        in.established = state_ == State::kEstablished;
        in.parked = f->len > 0 || f->in_pipe > 0;
        in.fin_seen = from.eof || from.fin_queued;
        in.shut = to.shut_wr;
        in.turns = turns_;
        switch (decide_join(in)) {
            case JoinDecision::kNotYet:
                continue;
            case JoinDecision::kNever:
                f->no_join = true;
                continue;
            case JoinDecision::kJoin:
                f->no_join = !join_direction(*sockmap, from, to, *f);
                break;
        }
    }
    join_done_ = (c2s_.kernel || c2s_.no_join) && (s2c_.kernel || s2c_.no_join);
}

bool TcpSession::join_direction(Sockmap& sockmap, Side& from, Side& to, Flow& f) {
    if (!linked_) {
        if (!sockmap.link(client_.io.fd, server_.io.fd, cookies_)) {
            Counters::add(sockmap.counters().refused, 1);
            c2s_.no_join = s2c_.no_join = true;
            return false;
        }
        linked_ = true;
    }
    // Nothing of this direction is parked: `to` holds all user space wrote into it.
    auto out = tcp_counts(to.io.fd);
    uint64_t cookie = source_cookie(f);
    if (!out || !sockmap.start_source(from.io.fd, cookie)) {
        Counters::add(sockmap.counters().refused, 1);
        return false;
    }
    f.kernel = true;
    f.k = KernelFlow{static_cast<uint64_t>(f.bytes), out->written};
    release_flow(f);
    register_events();
    pass_check_ms_ = kPassCheckFirstMs;
    if (!draining_) {
        arm_kernel_timer();
    }
    if (!joined_) {
        joined_ = true;
        sockmap.counters().joined();
        worker_.activity().sockmap_joined.fetch_add(1, std::memory_order_relaxed);
    }
    return true;
}

void TcpSession::register_events() {
    // Input the kernel forwards must not wake us for each segment: only FINs and errors.
    worker_.loop().modify(client_.io.fd, events_for(c2s_, s2c_), this, kClientTag);
    worker_.loop().modify(server_.io.fd, events_for(s2c_, c2s_), this, kServerTag);
}

uint32_t TcpSession::events_for(const Flow& out, const Flow& in) const {
    return EPOLLRDHUP | (out.kernel ? 0U : static_cast<uint32_t>(EPOLLIN)) |
           (in.kernel ? 0U : static_cast<uint32_t>(EPOLLOUT));
}

bool TcpSession::kernel_flow(Side& from, Side& to, Flow& f) {
    if (f.passed) {
        return take_back(from, to, f);
    }
    if (from.eof || !from.fin_queued) {
        return true;
    }
    auto in = tcp_counts(from.io.fd);
    auto out = tcp_counts(to.io.fd);
    if (!in || !out) {
        return false;
    }
    if (!kernel_flow_drained(f.k, in->received, true, out->written)) {
        // The bytes before the FIN are still on their way out (the kernel sends from a work
        // queue): a FIN forwarded now would overtake them.
        wait_for_kernel();
        return true;
    }
    from.eof = true;
    drain_wait_ms_ = 0;
    return true;
}

void TcpSession::wait_for_kernel() {
    drain_wait_ms_ = drain_wait_ms_ == 0 ? 1 : std::min(drain_wait_ms_ * 2, kKernelDrainMaxWaitMs);
    draining_ = true;
    worker_.loop().arm_in(timer_, drain_wait_ms_);
}

void TcpSession::check_passed() {
    Sockmap* sockmap = worker_.snapshot().sockmap;
    bool watched = false;
    bool moved = false;
    for (Flow* f : {&c2s_, &s2c_}) {
        if (!f->kernel || f->passed) {
            continue;
        }
        watched = true;
        SourceState st;
        if (!sockmap->source_state(source_cookie(*f), &st)) {
            continue;
        }
        moved = moved || st.redirected != f->redirected;
        f->redirected = st.redirected;
        f->passed = st.passed;  // `redirected` is final once this is seen
    }
    pass_check_ms_ = watched ? next_pass_check_ms(pass_check_ms_, moved) : 0;
}

bool TcpSession::take_back(Side& from, Side& to, Flow& f) {
    auto out = tcp_counts(to.io.fd);
    if (!out) {
        return false;
    }
    if (!redirected_drained(f.k, f.redirected, out->written)) {
        // What the source holds now would overtake the redirected bytes still queued.
        wait_for_kernel();
        return true;
    }
    drain_wait_ms_ = 0;
    f.kernel = false;
    f.psock = true;
    f.splice = false;
    f.bytes = static_cast<int64_t>(f.k.user_in + f.redirected);
    from.readable = true;
    to.writable = true;
    Counters::add(worker_.snapshot().sockmap->counters().passed, 1);
    register_events();
    return pump(from, to, f);
}

void TcpSession::arm_kernel_timer() {
    int64_t now = worker_.loop().now();
    int64_t at = idle_timeout_ms_ > 0 ? std::max(last_activity_ + idle_timeout_ms_, now) : 0;
    if (pass_check_ms_ > 0 && (at == 0 || now + pass_check_ms_ < at)) {
        at = now + pass_check_ms_;
    }
    if (at == 0) {
        worker_.loop().cancel(timer_);
    } else {
        worker_.loop().arm(timer_, at);
    }
}

void TcpSession::on_kernel_timer() {
    draining_ = false;
    check_passed();
    drive();  // FINs waiting for the kernel, passed directions
    if (state_ == State::kClosed) {
        return;
    }
    // tcp_info only once the deadline seems due (two getsockopt per look: they were a fifth of
    // what a joined keep-alive session cost the proxy when read at every pass check).
    if (idle_timeout_ms_ > 0 && worker_.loop().now() >= last_activity_ + idle_timeout_ms_) {
        refresh_kernel_activity();
        if (worker_.loop().now() >= last_activity_ + idle_timeout_ms_) {
            close_session(true);
            return;
        }
    }
    if (!draining_) {
        arm_kernel_timer();  // the idle deadline lazily, like the user-space path
    }
}

void TcpSession::refresh_kernel_activity() {
    auto c = tcp_counts(client_.io.fd);
    auto s = tcp_counts(server_.io.fd);
    if (!c || !s) {
        return;
    }
    int64_t quiet = std::min(c->last_data_recv_ms, s->last_data_recv_ms);
    last_activity_ = std::max(last_activity_, worker_.loop().now() - quiet);
}

void TcpSession::account_kernel_bytes() {
    // The kernel's own totals cover the bytes user space moved before the join as well. A
    // closed socket (TCP_CLOSE after TIME_WAIT) no longer tells whether a FIN came: RDHUP did.
    if (c2s_.kernel) {
        if (auto c = tcp_counts(client_.io.fd)) {
            c2s_.bytes = static_cast<int64_t>(
                kernel_flow_bytes(c->received, c->fin_received || client_.fin_queued));
        }
    }
    if (s2c_.kernel) {
        if (auto s = tcp_counts(server_.io.fd)) {
            s2c_.bytes = static_cast<int64_t>(
                kernel_flow_bytes(s->received, s->fin_received || server_.fin_queued));
        }
    }
    worker_.snapshot().sockmap->counters().left();
}

bool TcpSession::flush(Side& to, Flow& f) {
    while (f.len > 0) {
        if (!to.writable) {
            return true;
        }
        ssize_t n = to.io.send(f.buf + f.off, f.len);
        if (n < 0) {
            if (is_again(errno)) {
                to.writable = false;
                return true;
            }
            return false;
        }
        f.off += static_cast<uint32_t>(n);
        f.len -= static_cast<uint32_t>(n);
        touch();
    }
    if (f.buf != nullptr) {
        worker_.buffers().put(f.buf);
        f.buf = nullptr;
        f.off = 0;
    }
    return true;
}

bool TcpSession::pump(Side& from, Side& to, Flow& f) {
    if (!flush(to, f)) {
        return false;
    }
    if (f.len > 0) {
        return true;  // destination still full: do not read more (backpressure)
    }
    int64_t before = f.bytes;
    bool ok = f.splice ? pump_splice(from, to, f) : pump_copy(from, to, f);
    if (!ok) {
        return false;
    }
    if (int8_t dir = &f == &c2s_ ? 0 : 1; f.bytes != before && dir != last_dir_) {
        turns_ += last_dir_ >= 0 ? 1 : 0;
        last_dir_ = dir;
    }
    return true;
}

bool TcpSession::pump_copy(Side& from, Side& to, Flow& f) {
    char* buf = worker_.scratch();
    while (from.readable && !from.eof) {
        ssize_t n = from.io.recv(buf, kIoBufferSize);
        if (n == 0) {
            if (f.psock && !psock_end_reached(from, f)) {
                wait_for_kernel();  // read again when the timer fires
                break;
            }
            from.eof = true;
            drain_wait_ms_ = 0;
            break;
        }
        if (n < 0) {
            if (is_again(errno)) {
                from.readable = false;
                break;
            }
            return false;
        }
        f.bytes += n;
        touch();
        ssize_t w = to.writable ? to.io.send(buf, static_cast<size_t>(n)) : 0;
        if (w < 0) {
            if (!is_again(errno)) {
                return false;
            }
            w = 0;
        }
        if (w < n) {
            to.writable = false;
            f.buf = worker_.buffers().get();
            f.off = 0;
            f.len = static_cast<uint32_t>(n - w);
            std::memcpy(f.buf, buf + w, f.len);
            return true;
        }
        if (static_cast<size_t>(n) < kIoBufferSize) {
            // Short read: the socket is drained, the next edge wakes us. Drained with the FIN
            // already received: the next read would return 0. Saves a recv (and often a wakeup)
            // per closing connection, as HAProxy's read0 on HUP. A psock may still move input
            // from its backlog to its queue: there, read on to the 0.
            from.eof = from.fin_queued && !f.psock;
            from.readable = from.fin_queued && f.psock;
            f.full_reads = 0;
        } else if (++f.full_reads >= kAutoSpliceAfter && !f.psock && from.io.ssl == nullptr &&
                   to.io.ssl == nullptr) {
            // A bulk transfer (HAProxy's splice-auto): move the rest kernel-side, no copies.
            f.splice = true;
            return pump_splice(from, to, f);
        }
    }
    return true;
}

bool TcpSession::psock_end_reached(const Side& from, const Flow& f) const {
    auto in = tcp_counts(from.io.fd);
    return !in || psock_input_drained(static_cast<uint64_t>(f.bytes), in->received, true);
}

bool TcpSession::pump_splice(Side& from, Side& to, Flow& f) {
    while (true) {
        if (f.in_pipe > 0) {
            if (!to.writable) {
                return true;
            }
            ssize_t n = splice(f.pipe.rd, nullptr, to.io.fd, nullptr, f.in_pipe,
                               SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (n < 0) {
                if (is_again(errno)) {
                    to.writable = false;
                    return true;
                }
                return false;
            }
            f.in_pipe -= static_cast<uint32_t>(n);
            touch();
            if (f.in_pipe > 0) {
                to.writable = false;
                return true;
            }
        }
        if (!from.readable || from.eof) {
            break;
        }
        if (f.pipe.rd < 0 && !worker_.pipes().get(f.pipe)) {
            f.splice = false;  // no pipe available: copy instead
            return pump_copy(from, to, f);
        }
        ssize_t n = splice(from.io.fd, nullptr, f.pipe.wr, nullptr, kPipeSize,
                           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n == 0) {
            from.eof = true;
            break;
        }
        if (n < 0) {
            if (is_again(errno)) {
                from.readable = false;
                break;
            }
            return false;
        }
        f.in_pipe += static_cast<uint32_t>(n);
        f.bytes += n;
        touch();
    }
    if (f.in_pipe == 0 && f.pipe.rd >= 0) {
        worker_.pipes().put(f.pipe);  // idle connections hold no pipe
        f.pipe = Pipe{};
    }
    return true;
}

void TcpSession::release_flow(Flow& f) {
    if (f.buf != nullptr) {
        worker_.buffers().put(f.buf);
        f.buf = nullptr;
    }
    if (f.pipe.rd >= 0) {
        if (f.in_pipe == 0) {
            worker_.pipes().put(f.pipe);
        } else {
            close(f.pipe.rd);
            close(f.pipe.wr);
        }
        f.pipe = Pipe{};
    }
}

void TcpSession::close_session(bool error) {
    if (state_ == State::kClosed) {
        return;
    }
    bool was_established = state_ == State::kEstablished;
    state_ = State::kClosed;
    if (joined_) {
        account_kernel_bytes();
        Sockmap* sockmap = worker_.snapshot().sockmap;
        for (Flow* f : {&c2s_, &s2c_}) {
            if (f->kernel || f->psock) {
                sockmap->forget_source(source_cookie(*f));
            }
        }
    }
    worker_.loop().cancel(timer_);
    if (error && was_established) {
        worker_.loop().remove_if_explicit(client_.io.fd);
        close_reset(client_.io.fd);
    } else {
        worker_.loop().close_fd(client_.io.fd);
    }
    if (server_.io.fd >= 0) {
        worker_.loop().close_fd(server_.io.fd);
    }
    server_.io.release_tls();
    release_flow(c2s_);
    release_flow(s2c_);
    Counters::add(fe_.counters.bin, c2s_.bytes);
    Counters::add(fe_.counters.bout, s2c_.bytes);
    if (be_ != nullptr) {
        Counters::add(be_->counters.bin, c2s_.bytes);
        Counters::add(be_->counters.bout, s2c_.bytes);
        be_->counters.close_session();
        be_->counters.last_sess.store(time(nullptr), std::memory_order_relaxed);
    }
    if (srv_ != nullptr) {
        Counters::add(srv_->counters.bin, c2s_.bytes);
        Counters::add(srv_->counters.bout, s2c_.bytes);
        srv_->counters.close_session();
        srv_->counters.last_sess.store(time(nullptr), std::memory_order_relaxed);
        be_->release(srv_);
    }
    fe_.counters.close_session();
    worker_.snapshot().cur_conns.fetch_sub(1, std::memory_order_relaxed);
    if (AccessLog* log = worker_.access_log(); log != nullptr && fe_.cfg->log) {
        LogRecord rec{fe_.cfg,
                      be_ ? be_->cfg : nullptr,
                      srv_ ? srv_->cfg : nullptr,
                      &peer_,
                      worker_.loop().now() - accept_ms_,
                      c2s_.bytes,
                      s2c_.bytes,
                      0,
                      nullptr,
                      error ? "SD" : "--"};
        log->write(rec);
    }
    worker_.session_closed();
    worker_.loop().defer_delete(this);
}

void start_tcp_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer) {
    auto* s = new TcpSession(worker, fe, fd, peer);
    s->start();
}

}  // namespace octane::proxy
