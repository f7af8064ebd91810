#include "proxy/l7/http_session.h"

#include <cerrno>
#include <ctime>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/http/canned_responses.h"
#include "proxy/http/http_error.h"
#include "proxy/io/socket_ops.h"
#include "proxy/l7/exchange_pool.h"
#include "proxy/l7/http_session_exchange.h"
#include "proxy/runtime/access_log.h"
#include "proxy/runtime/prometheus_exporter.h"
#include "proxy/runtime/stats_csv.h"
#include "proxy/runtime/worker.h"
#include "proxy/tls/tls_context.h"

namespace octane::proxy {
namespace {

constexpr size_t kMaxBuffered = 256 * 1024;  // stop reading a side while this much waits

int64_t ms_or(const std::optional<config::Millis>& v, int64_t fallback) {
    return v ? v->count() : fallback;
}

}  // namespace

HttpSession::HttpSession(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer,
                         const tls::FrontendTls* tls)
    : worker_(worker), fe_(fe), peer_(peer), tls_(tls), timer_(this) {
    cli_.fd = fd;
    started_ms_ = worker_.loop().now();
    // Counted by the listener that accepted it (runtime/worker.cc): it may have come from another
    // thread.
}

HttpSession::~HttpSession() = default;

void HttpSession::start() {
    worker_.link(this);
    if (tls_ != nullptr) {
        cli_.ssl = tls_->new_ssl(cli_.fd);
        if (cli_.ssl == nullptr) {
            worker_.link(this);
            close_session();
            return;
        }
    }
    worker_.loop().add(cli_.fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP, this);
    const auto& t = fe_.cfg->timeouts;
    set_deadline(ms_or(t.http_request, ms_or(t.client, 0)));
    read_client();
}

void HttpSession::set_deadline(int64_t ms) {
    if (ms <= 0) {
        deadline_ = 0;
        worker_.loop().cancel(timer_);
        return;
    }
    deadline_ = worker_.loop().now() + ms;
    // Lazy: the heap entry moves only when it fires early (see on_timer).
    if (!timer_.armed() || timer_.deadline() > deadline_) {
        worker_.loop().arm(timer_, deadline_);
    }
}

void HttpSession::on_timer(Timer&) {
    if (state_ == State::kClosed || deadline_ == 0) {
        return;
    }
    if (worker_.loop().now() < deadline_) {
        worker_.loop().arm(timer_, deadline_);
        return;
    }
    switch (state_) {
        case State::kIdle:
            on_idle_deadline();
            return;
        case State::kHead:
            Counters::add(fe_.counters.ereq, 1);
            answer(http::protocol_error_response(408), true);
            return;
        case State::kConnecting:
            on_server_failure(true);
            return;
        case State::kForward:
            if (x_ && x_->resp_started) {
                close_session();
            } else {
                if (srv_ != nullptr) {
                    Counters::add(srv_->counters.eresp, 1);
                }
                answer(http::error_response(504, true), true);
            }
            return;
        case State::kTunnel:
        case State::kClosing:
        case State::kLingering:
        case State::kClosed:
            close_session();
            return;
    }
}

void HttpSession::on_io(uint32_t events, unsigned) {
    if (state_ == State::kClosed) {
        return;
    }
    if (state_ == State::kLingering) {
        drain_lingering();
        return;
    }
    // A TLS write waiting for the peer's handshake bytes resumes on input, a TLS read waiting for
    // room resumes on output.
    bool resume_write = cli_.write_wants_read && (events & EPOLLIN);
    bool resume_read = cli_.read_wants_write && (events & EPOLLOUT);
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) || resume_write) {
        client_writable_ = true;
        flush_client();
        if (state_ == State::kClosed) {
            return;
        }
    }
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        client_fin_seen_ = true;
    }
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) || resume_read) {
        read_client();
    }
}

void HttpSession::read_client() {
    char* buf = worker_.scratch();
    while (!client_eof_ && !ending()) {
        if (x_ && x_->in.size() >= kMaxBuffered) {
            break;  // backpressure: the server side has not taken what we have
        }
        ssize_t n = cli_.recv(buf, kIoBufferSize);
        if (n > 0) {
            if (!x_) {
                x_ = worker_.exchanges().get();
            }
            x_->in.append(buf, static_cast<size_t>(n));
            Counters::add(fe_.counters.bin, n);
            if (static_cast<size_t>(n) < kIoBufferSize && !client_fin_seen_) {
                break;  // drained; the next bytes bring a new edge
            }
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            client_eof_ = true;
        }
        break;
    }
    process_input();
    if (state_ == State::kTunnel) {
        tunnel_pump();
    }
    if (client_eof_ && (state_ == State::kIdle || state_ == State::kHead)) {
        if (state_ == State::kHead && x_ && !x_->in.empty()) {
            Counters::add(fe_.counters.cli_abrt, 1);
        }
        close_session();
    }
}

void HttpSession::process_input() {
    // Bounded: one pass per pipelined request already buffered, at most 64 per wakeup.
    for (int guard = 0; guard < 64 && x_ && state_ != State::kClosed; ++guard) {
        if (state_ == State::kIdle || state_ == State::kHead) {
            if (x_->in.empty()) {
                return;
            }
            auto r = x_->req_parser.parse(x_->in);
            if (!r) {
                Counters::add(fe_.counters.ereq, 1);
                answer(http::protocol_error_response(
                           http::status_for(r.error(), http::MessageKind::kRequest)),
                       true);
                return;
            }
            if (*r == http::ParseStatus::kIncomplete) {
                if (state_ == State::kIdle) {
                    state_ = State::kHead;
                    const auto& t = fe_.cfg->timeouts;
                    set_deadline(ms_or(t.http_request, ms_or(t.client, 0)));
                }
                return;
            }
            if (!on_request_head()) {
                return;
            }
            continue;
        }
        if (state_ == State::kForward || state_ == State::kConnecting) {
            forward_request_body();
        }
        return;
    }
}

void HttpSession::forward_request_body() {
    Exchange& x = *x_;
    if (x.req_done || x.in.empty()) {
        return;
    }
    auto p = x.req_body.advance(x.in);
    if (!p) {
        Counters::add(fe_.counters.ereq, 1);
        answer(
            http::protocol_error_response(http::status_for(p.error(), http::MessageKind::kRequest)),
            true);
        return;
    }
    x.to_server.append(x.in, 0, p->consumed);
    x.in.erase(0, p->consumed);
    x.req_done = p->done;
    if (state_ == State::kForward) {
        flush_server();
    }
}

void HttpSession::answer(std::string response, bool close_after) {
    if (!x_) {
        x_ = worker_.exchanges().get();
    }
    x_->to_client.append(response);
    x_->close_after_flush = x_->close_after_flush || close_after;
    if (close_after) {
        state_ = State::kClosing;
    }
    flush_client();
}

void HttpSession::flush_client() {
    if (!x_ || state_ == State::kClosed) {
        return;
    }
    Exchange& x = *x_;
    while (x.to_client_off < x.to_client.size() && client_writable_) {
        ssize_t n =
            cli_.send(x.to_client.data() + x.to_client_off, x.to_client.size() - x.to_client_off);
        if (n < 0) {
            if (errno == EAGAIN) {
                client_writable_ = false;
                break;
            }
            close_session();
            return;
        }
        x.to_client_off += static_cast<size_t>(n);
        Counters::add(fe_.counters.bout, n);
    }
    if (x.to_client_off == x.to_client.size()) {
        x.to_client.clear();
        x.to_client_off = 0;
        if (x.close_after_flush) {
            close_gracefully();
            return;
        }
        if (state_ == State::kIdle) {
            if (worker_.stopping()) {
                on_soft_stop();  // the grace starts once the last reply is out
            }
            release_if_idle();  // the last reply drained after its exchange had ended
            return;             // idle: no server connection to resume
        }
        // Room again: resume reading the server if we had stopped.
        if (conn_ != nullptr && !in_read_server_ && state_ != State::kConnecting &&
            x.resp.size() < kMaxBuffered) {
            read_server();
        }
    }
}

void HttpSession::reset_for_next() {
    Exchange& x = *x_;
    x.req_parser.reset();
    x.resp_parser.reset();
    x.to_server.clear();
    x.to_server_off = 0;
    x.to_server_compacted = false;
    x.req_head_done = x.req_done = x.resp_head_done = x.resp_started = false;
    x.insert_cookie = false;
    x.status = 0;
    x.close_announced = false;
    state_ = State::kIdle;
    const auto& t = fe_.cfg->timeouts;
    set_deadline(ms_or(t.http_keep_alive, ms_or(t.http_request, ms_or(t.client, 0))));
    if (worker_.stopping()) {
        on_soft_stop();  // the response went out without `Connection: close`: grace only
    }
    release_if_idle();  // `x` is gone past this point
}

void HttpSession::release_if_idle() {
    Exchange& x = *x_;
    if (state_ == State::kIdle && x.in.empty() && x.resp.empty() &&
        x.to_client_off == x.to_client.size()) {
        worker_.exchanges().put(std::move(x_));
    }
}

void HttpSession::finish_exchange() {
    Exchange& x = *x_;
    if (AccessLog* log = worker_.access_log(); log != nullptr && fe_.cfg->log) {
        LogRecord rec{fe_.cfg,
                      be_ ? be_->cfg : nullptr,
                      srv_ ? srv_->cfg : nullptr,
                      &peer_,
                      worker_.loop().now() - started_ms_,
                      0,
                      0,
                      x.status,
                      &x.request_line,
                      "--",
                      tls_facts_.get()};
        log->write(rec);
    }
    // A soft stop does not end a connection whose response did not announce it: the client
    // may be sending its next request already (that one is answered with `Connection: close`).
    bool reuse = x.req_done && x.req_keep_alive && x.resp_keep_alive && !client_eof_ &&
                 !x.close_announced && x.resp_body.kind() != http::BodyKind::kUntilClose;
    release_server();
    if (!reuse) {
        x.close_after_flush = true;
        state_ = State::kClosing;
        flush_client();
        return;
    }
    if (conn_ != nullptr) {
        conn_->reused = true;
        conn_ = nullptr;  // stays in conns_ for the next request to that server
    }
    reset_for_next();
    process_input();  // a pipelined request may already be here
}

bool HttpSession::serve_metrics(bool close_after) {
    Snapshot& snap = worker_.snapshot();
    ProcessInfo info;
    info.pid = getpid();
    info.nbthread = snap.nbthread;
    info.maxconn = snap.maxconn;
    std::string body = render_prometheus(snap, info);
    answer("HTTP/1.1 200 OK\r\ncontent-type: text/plain; version=0.0.4\r\ncontent-length: " +
               std::to_string(body.size()) + (close_after ? "\r\nconnection: close" : "") +
               "\r\n\r\n" + body,
           close_after);
    return true;
}

void start_http_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer,
                        const tls::FrontendTls* tls) {
    auto* s = new HttpSession(worker, fe, fd, peer, tls);
    s->start();
}

}  // namespace octane::proxy
