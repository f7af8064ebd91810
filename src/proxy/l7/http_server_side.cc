// Server side of HttpSession: balancing, connection reuse, response relay, tunnels.

#include <cerrno>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/http/canned_responses.h"
#include "proxy/http/http_error.h"
#include "proxy/io/proxy_header.h"
#include "proxy/io/socket_ops.h"
#include "proxy/l7/http_session.h"
#include "proxy/l7/http_session_exchange.h"
#include "proxy/runtime/server_pick.h"
#include "proxy/runtime/worker.h"
#include "proxy/tls/tls_context.h"

namespace octane::proxy {
namespace {
constexpr size_t kMaxBuffered = 256 * 1024;
}

void ServerConn::on_io(uint32_t events, unsigned) {
    owner->on_server_io(*this, events);
}

bool HttpSession::pick_and_connect(int avoid) {
    srv_ = pick_server(*be_, peer_, avoid);
    if (srv_ == nullptr) {
        fe_.counters.count_status(503);
        answer(http::error_response(503, true), true);
        return false;
    }
    srv_->counters.open_session();
    return connect_to(srv_);
}

bool HttpSession::connect_to(ServerState* srv) {
    Counters::add(srv->counters.req_tot, 1);
    // Reuse this session's idle connection to that server when it has one.
    for (auto& c : conns_) {
        if (c->srv == srv && c->io.fd >= 0 && c.get() != conn_) {
            conn_ = c.get();
            state_ = State::kForward;
            // No read first: a close the server sent while the connection was idle was either
            // seen then (and the connection dropped) or is still pending as an event, which
            // will find this exchange and replay it (the request is kept until the response).
            on_connected(false);
            return state_ != State::kClosed;
        }
    }
    auto fd = start_connect(srv->cfg->endpoint);
    if (!fd) {
        on_server_failure(true);
        return !ending();
    }
    auto c = std::make_unique<ServerConn>();
    c->owner = this;
    c->srv = srv;
    c->io.fd = *fd;
    conn_ = c.get();
    // Forget closed entries so a long session does not accumulate them.
    std::erase_if(conns_, [](const auto& e) { return e->io.fd < 0; });
    conns_.push_back(std::move(c));
    if (srv->tls != nullptr) {
        conn_->io.ssl = srv->tls->new_ssl(conn_->io.fd, server_sni(*srv));
        if (conn_->io.ssl == nullptr) {
            on_server_failure(true);
            return !ending();
        }
    }
    worker_.loop().add(conn_->io.fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP, conn_);
    state_ = State::kConnecting;
    return true;
}

void HttpSession::on_server_io(ServerConn& c, uint32_t events) {
    if (state_ == State::kClosed || state_ == State::kLingering) {
        return;
    }
    if (&c != conn_) {
        if (idle_conn_closed(c, events)) {
            drop_conn(&c);
        }
        return;
    }
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        c.fin_seen = true;
    }
    if (c.connecting) {
        if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) {
            return;
        }
        if ((events & EPOLLERR) || socket_error(c.io.fd) != 0) {
            on_server_failure(true);
            return;
        }
        c.connecting = false;
        if (!send_proxy_header(c)) {
            on_server_failure(true);
            return;
        }
        state_ = State::kForward;
        // Edge-triggered: input already reported with the connect must be read now.
        on_connected((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) != 0);
        return;
    }
    // TLS: a write blocked on the handshake's input resumes on input, a read blocked on room
    // resumes on output.
    if ((events & (EPOLLOUT | EPOLLERR)) || (c.io.write_wants_read && (events & EPOLLIN))) {
        flush_server();
    }
    if (state_ != State::kClosed && ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) ||
                                     (c.io.read_wants_write && (events & EPOLLOUT)))) {
        read_server();
    }
}

bool HttpSession::send_proxy_header(const ServerConn& c) {
    const auto kind = c.srv->cfg->send_proxy;
    if (kind == config::ProxyProtocol::kNone) {
        return true;
    }
    // The address the client reached, as the TCP path sends it; without it no truthful header
    // exists and the server must not see the connection without one.
    sockaddr_storage local{};
    socklen_t len = sizeof(local);
    if (getsockname(cli_.fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
        return false;
    }
    Endpoint dst = endpoint_from(reinterpret_cast<sockaddr*>(&local), len);
    char header[128];
    size_t n = kind == config::ProxyProtocol::kV1
                   ? write_proxy_v1(peer_, dst, header, sizeof header)
                   : write_proxy_v2(peer_, dst, header, sizeof header);
    // The socket has just connected: its send buffer is empty, so one send takes the header
    // whole before any request byte.
    return n > 0 && send(c.io.fd, header, n, MSG_NOSIGNAL) == static_cast<ssize_t>(n);
}

void HttpSession::on_connected(bool has_input) {
    const auto& t = be_->cfg->timeouts;
    set_deadline(t.server ? t.server->count() : 0);
    flush_server();
    if (has_input && state_ == State::kForward) {
        read_server();
    }
}

bool HttpSession::idle_conn_closed(ServerConn& c, uint32_t events) {
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        return true;
    }
    if ((events & EPOLLIN) == 0) {
        return false;  // write space after the last request: nothing to do
    }
    // The edge may be stale (bytes of the last response, read already in the same batch):
    // only a close or unexpected bytes make the connection unusable.
    char b = 0;
    ssize_t n = recv(c.io.fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
    return !(n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

void HttpSession::close_conn(ServerConn& c) {
    if (c.io.fd >= 0) {
        worker_.loop().close_fd(c.io.fd);
        c.io.fd = -1;
    }
    c.io.release_tls();
}

std::string HttpSession::server_sni(const ServerState& srv) const {
    const std::string& expr = srv.cfg->tls.sni;
    if (expr == "ssl_fc_sni") {
        const char* name =
            cli_.ssl == nullptr ? nullptr : SSL_get_servername(cli_.ssl, TLSEXT_NAMETYPE_host_name);
        return name == nullptr ? "" : name;
    }
    if (expr.starts_with("str(")) {
        return expr.substr(4, expr.size() - 5);
    }
    return "";
}

void HttpSession::drop_conn(ServerConn* c) {
    close_conn(*c);
    if (c == conn_) {
        conn_ = nullptr;
    }
}

void HttpSession::release_server() {
    if (srv_ != nullptr) {
        srv_->counters.close_session();
        be_->release(srv_);
        srv_ = nullptr;
    }
}

void HttpSession::on_server_failure(bool connect_phase) {
    Exchange& x = *x_;
    bool replayable = !x.resp_started && !x.to_server_compacted;
    bool was_reused = conn_ != nullptr && conn_->reused;
    if (connect_phase && srv_ != nullptr) {
        Counters::add(srv_->counters.econ, 1);
        Counters::add(be_->counters.econ, 1);
    }
    ServerState* failed = srv_;
    if (conn_ != nullptr) {
        drop_conn(conn_);
    }
    // A reused connection closed under us (replayed for free), or a connect failed (a retry).
    RetryStep step = !replayable                          ? RetryStep::kGiveUp
                     : was_reused                         ? RetryStep::kSameServer
                     : connect_phase && failed != nullptr ? next_retry(*be_, *failed, retries_left_)
                                                          : RetryStep::kGiveUp;
    if (step != RetryStep::kGiveUp) {
        x.to_server_off = 0;
        if (step == RetryStep::kRedispatch) {
            release_server();
            pick_and_connect(failed->id);
        } else {
            connect_to(srv_);
        }
        return;
    }
    if (!x.resp_started) {
        int status = connect_phase ? 503 : 502;
        if (!connect_phase && srv_ != nullptr) {
            Counters::add(srv_->counters.eresp, 1);
            Counters::add(be_->counters.eresp, 1);
        }
        fe_.counters.count_status(status);
        answer(http::error_response(status, true), true);
        return;
    }
    close_session();
}

void HttpSession::flush_server() {
    if (conn_ == nullptr || conn_->connecting || !x_) {
        return;
    }
    Exchange& x = *x_;
    while (x.to_server_off < x.to_server.size()) {
        ssize_t n = conn_->io.send(x.to_server.data() + x.to_server_off,
                                   x.to_server.size() - x.to_server_off);
        if (n < 0) {
            if (errno == EAGAIN) {
                return;
            }
            // A failed TLS handshake counts as a failed connect (retries, then 503), as HAProxy.
            on_server_failure(!conn_->io.handshake_done());
            return;
        }
        x.to_server_off += static_cast<size_t>(n);
        Counters::add(srv_ ? srv_->counters.bin : be_->counters.bin, n);
    }
    // All written. Keep the bytes for a replay until the response starts, unless they pile up.
    if (x.to_server.size() > 64 * 1024 || x.resp_started) {
        x.to_server.clear();
        x.to_server_off = 0;
        x.to_server_compacted = true;
    }
    if (x.in.size() > 0 && !x.req_done && state_ == State::kForward) {
        forward_request_body();
    }
}

void HttpSession::read_server() {
    if (conn_ == nullptr || !x_ || in_read_server_) {
        return;
    }
    in_read_server_ = true;
    read_server_once();
    in_read_server_ = false;
    // TLS: a read may have finished the handshake that a write of the request was waiting for;
    // the server now waits for that request, and no event will say so.
    if (conn_ != nullptr && conn_->io.write_wants_read && conn_->io.handshake_done() &&
        state_ == State::kForward) {
        flush_server();
    }
}

int HttpSession::relay_body_chunk(const char* data, size_t n) {
    Exchange& x = *x_;
    auto p = x.resp_body.advance(std::string_view(data, n));
    if (!p) {
        close_session();
        return -1;
    }
    size_t sent = 0;
    while (sent < p->consumed && client_writable_) {
        ssize_t w = cli_.send(data + sent, p->consumed - sent);
        if (w < 0) {
            if (errno == EAGAIN) {
                client_writable_ = false;
                break;
            }
            close_session();
            return -1;
        }
        sent += static_cast<size_t>(w);
        Counters::add(fe_.counters.bout, w);
    }
    x.to_client.clear();
    x.to_client_off = 0;
    x.to_client.append(data + sent, p->consumed - sent);
    x.resp.append(data + p->consumed, n - p->consumed);
    if (p->done) {
        finish_exchange();
        return 0;
    }
    return 1;
}

void HttpSession::read_server_once() {
    Exchange& x = *x_;
    char* buf = worker_.scratch();
    bool eof = false;
    while (x.resp.size() < kMaxBuffered && x.to_client.size() - x.to_client_off < kMaxBuffered) {
        ssize_t n = conn_->io.recv(buf, kIoBufferSize);
        if (n > 0) {
            if (srv_ != nullptr) {
                Counters::add(srv_->counters.bout, n);
            }
            if (state_ == State::kForward && x.resp_head_done && x.resp.empty() &&
                x.to_client_off == x.to_client.size()) {
                // Body fast path: nothing queued, so the bytes go from the scratch buffer to the
                // client directly instead of through two string buffers.
                int r = relay_body_chunk(buf, static_cast<size_t>(n));
                if (r <= 0) {
                    return;  // exchange finished (or session closed): state has moved on
                }
            } else {
                x.resp.append(buf, static_cast<size_t>(n));
            }
            if (static_cast<size_t>(n) < kIoBufferSize && !conn_->fin_seen) {
                break;  // drained; the next bytes bring a new edge
            }
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            eof = true;
        }
        break;
    }
    if (state_ == State::kTunnel) {
        tunnel_pump();
        if (eof) {
            x.close_after_flush = true;
            flush_client();
        }
        return;
    }
    process_response();
    if (eof && state_ == State::kForward) {
        if (!x.resp_head_done) {
            on_server_failure(!conn_->io.handshake_done());
            return;
        }
        if (x.resp_body.kind() == http::BodyKind::kUntilClose && x.resp_body.on_eof()) {
            x.resp_keep_alive = false;
            drop_conn(conn_);
            finish_exchange();
            return;
        }
        if (!x.resp_body.done()) {
            Counters::add(be_->counters.srv_abrt, 1);
            close_session();
        }
    }
}

void HttpSession::process_response() {
    Exchange& x = *x_;
    for (int guard = 0; guard < 16 && state_ == State::kForward; ++guard) {
        if (!x.resp_head_done) {
            if (x.resp.empty()) {
                return;
            }
            auto r = x.resp_parser.parse(x.resp);
            if (!r) {
                on_server_failure(false);
                return;
            }
            if (*r == http::ParseStatus::kIncomplete) {
                return;
            }
            if (!on_response_head()) {
                return;
            }
            continue;
        }
        auto p = x.resp_body.advance(x.resp);
        if (!p) {
            close_session();
            return;
        }
        x.to_client.append(x.resp, 0, p->consumed);
        x.resp.erase(0, p->consumed);
        flush_client();
        if (state_ == State::kClosed) {
            return;
        }
        if (p->done) {
            finish_exchange();
        }
        return;
    }
}

bool HttpSession::on_response_head() {
    Exchange& x = *x_;
    const http::MessageHead& head = x.resp_parser.head();
    x.resp_started = true;
    if (head.interim) {
        // 100 Continue and friends go to the client; the final response follows.
        x.to_client.append(x.resp, 0, head.head_bytes);
        x.resp.erase(0, head.head_bytes);
        x.resp_parser.reset();
        flush_client();
        return state_ != State::kClosed;
    }
    x.status = head.status;
    fe_.counters.count_status(head.status);
    be_->counters.count_status(head.status);
    if (srv_ != nullptr) {
        srv_->counters.count_status(head.status);
    }
    if (!be_->stick_cookie_store.empty() && srv_ != nullptr) {
        // `stick store-response res.cook(N)`: remember which server issued cookie N=value.
        http::MessageView view(x.resp, head);
        const std::string& name = be_->stick_cookie_store;
        view.for_each("Set-Cookie", [&](std::string_view v) {
            if (v.size() > name.size() && v.compare(0, name.size(), name) == 0 &&
                v[name.size()] == '=') {
                std::string_view value = v.substr(name.size() + 1);
                value = value.substr(0, value.find(';'));
                be_->store_stick_cookie(std::string(value), srv_);
                return false;
            }
            return true;
        });
    }
    const config::CookiePersistence& ck = be_->cfg->cookie;
    bool announce_close = must_announce_close(head);
    bool edits = !fe_.cfg->http_response_rules.empty() || !be_->cfg->http_response_rules.empty();
    if ((x.insert_cookie && srv_ != nullptr && !srv_->cfg->cookie.empty()) ||
        head.drop_content_length || announce_close || edits) {
        http::MessageView view(x.resp, head);
        x.headers.reset(view);
        if (x.insert_cookie && srv_ != nullptr && !srv_->cfg->cookie.empty()) {
            x.headers.add("Set-Cookie", ck.name + "=" + srv_->cfg->cookie + "; path=/");
            if (ck.nocache) {
                x.headers.add("Cache-Control", "private");
            }
        }
        // HAProxy's order: the backend's http-response rules, then the frontend's.
        for (const auto* rules : {&be_->cfg->http_response_rules, &fe_.cfg->http_response_rules}) {
            for (const config::HttpResponseRule& r : *rules) {
                switch (r.action) {
                    case config::HttpResponseAction::kSetHeader:
                        x.headers.set(r.name, r.value);
                        break;
                    case config::HttpResponseAction::kAddHeader:
                        x.headers.add(r.name, r.value);
                        break;
                    case config::HttpResponseAction::kDelHeader:
                        x.headers.remove(r.name);
                        break;
                }
            }
        }
        if (announce_close) {
            x.headers.remove("Keep-Alive");
            x.headers.set("Connection", "close");
            x.close_announced = true;
        }
        x.headers.serialize(x.to_client);
    } else {
        x.to_client.append(x.resp, 0, head.head_bytes);
    }
    x.resp.erase(0, head.head_bytes);
    x.resp_keep_alive = head.keep_alive;
    x.resp_head_done = true;
    if (head.switch_to_tunnel) {
        state_ = State::kTunnel;
        const auto& t = be_->cfg->timeouts;
        set_deadline(t.tunnel ? t.tunnel->count() : (t.server ? t.server->count() : 0));
        x.to_server.clear();
        x.to_server_off = 0;
        tunnel_pump();
        return false;
    }
    x.resp_body.start(head);
    if (x.resp_body.done()) {
        flush_client();
        if (state_ != State::kClosed) {
            finish_exchange();
        }
        return false;
    }
    return true;
}

void HttpSession::tunnel_pump() {
    Exchange& x = *x_;
    if (!x.in.empty()) {
        x.to_server.append(x.in);
        x.in.clear();
    }
    if (!x.resp.empty()) {
        x.to_client.append(x.resp);
        x.resp.clear();
    }
    flush_server();
    flush_client();
    if (state_ == State::kTunnel && client_eof_ && conn_ != nullptr &&
        x.to_server_off == x.to_server.size()) {
        conn_->io.shutdown_write();
    }
}

}  // namespace octane::proxy
