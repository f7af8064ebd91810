#pragma once

// An HTTP/1.1 session (mode http): parses each request head (the http/ parser), runs the
// frontend's L7 rules (deny / redirect / use_backend / header edits), balances every request,
// and relays bodies with the framers, with keep-alive and pipelining on both sides. 101 and
// CONNECT switch to a raw tunnel. Server connections are kept per session, one per server it
// talked to, and reused for later requests to that server (HAProxy's `http-reuse safe` keeps a
// shared idle pool; per-session reuse needs no cross-session hand-over and already removes the
// connect per request). Loop-thread only.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proxy/http/body_framer.h"
#include "proxy/http/header_map.h"
#include "proxy/http/http_parser.h"
#include "proxy/http/tls_facts.h"
#include "proxy/io/address.h"
#include "proxy/io/transport.h"
#include "proxy/loop/event_loop.h"
#include "proxy/runtime/state.h"
#include "proxy/runtime/worker.h"

namespace octane::proxy {

class Worker;
class HttpSession;

// One connection to a server, owned by a session.
struct ServerConn final : public IoHandler {
    HttpSession* owner = nullptr;
    ServerState* srv = nullptr;
    Transport io;  // io.fd = -1 once closed
    bool connecting = true;
    bool fin_seen = false;  // epoll reported the server's FIN: read to the end, not to a short read
    bool reused = false;    // carried an earlier request: may have been closed by the server
    void on_io(uint32_t events, unsigned tag) override;
};

class HttpSession final : public IoHandler,
                          public TimerHandler,
                          public Deferred,
                          public SoftStoppable {
  public:
    HttpSession(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer,
                const tls::FrontendTls* tls);
    ~HttpSession() override;
    void start();

    void on_io(uint32_t events, unsigned tag) override;  // client socket
    void on_timer(Timer& timer) override;
    void on_server_io(ServerConn& conn, uint32_t events);
    // Soft stop (reload): no request is lost. The response in progress, or the next one,
    // carries `Connection: close` and the connection ends after it; an idle keep-alive
    // connection gets a short grace for its next request (http_session_close.cc).
    void on_soft_stop() override;

    // Per-exchange parsers and buffers (http_session_exchange.h), pooled per worker.
    struct Exchange;

  private:
    // kLingering: our side is shut down after the last response; input is read and dropped
    // until the client's FIN so that the kernel never answers it with a reset.
    enum class State : uint8_t {
        kIdle,
        kHead,
        kConnecting,
        kForward,
        kTunnel,
        kClosing,
        kLingering,
        kClosed
    };

    // Client side (http_session.cc).
    void read_client();
    void process_input();
    bool on_request_head();
    void forward_request_body();
    void answer(std::string response, bool close_after);
    bool serve_metrics(bool close_after);
    void flush_client();
    void set_deadline(int64_t ms);
    // Closing (http_session_close.cc). close_session(): at once, for errors and clients gone.
    // close_gracefully(): after the last response byte, or for an idle keep-alive connection.
    void close_session();
    void close_gracefully();
    void drain_lingering();
    // The keep-alive deadline fired: serve a request that arrived meanwhile, else close.
    void on_idle_deadline();
    // Whether the response now starting must tell the client the connection ends after it.
    bool must_announce_close(const http::MessageHead& response) const;
    bool ending() const {
        return state_ == State::kClosing || state_ == State::kLingering || state_ == State::kClosed;
    }
    void finish_exchange();
    void reset_for_next();
    // An idle keep-alive connection keeps no exchange (parsers, header map, buffers): it goes
    // back to the worker's ExchangePool and the next request's first byte takes one. HAProxy
    // likewise frees a stream and its buffers between requests: keeping them cost ~7 KiB per idle
    // connection, ~300 KiB after a reply that had to be parked for a slow client.
    void release_if_idle();

    // Server side (http_server_side.cc).
    bool pick_and_connect(int avoid);
    // Closes a server connection's socket and TLS state.
    void close_conn(ServerConn& c);
    // The SNI for a TLS server connection (its `sni` expression), empty for none.
    std::string server_sni(const ServerState& srv) const;
    bool connect_to(ServerState* srv);
    // `has_input`: the connect event also reported input, which must be read now.
    void on_connected(bool has_input);
    // The PROXY header a send-proxy / send-proxy-v2 server gets first on a new connection;
    // false when it could not be sent whole.
    bool send_proxy_header(const ServerConn& c);
    // An event on a connection kept idle for reuse: true when it is closed or unusable.
    bool idle_conn_closed(ServerConn& c, uint32_t events);
    void on_server_failure(bool connect_phase);
    void read_server();
    void read_server_once();
    // Relays body bytes read into `data` straight to the client; returns 1 to keep reading,
    // 0 when the exchange finished, -1 when the session closed.
    int relay_body_chunk(const char* data, size_t n);
    void process_response();
    bool on_response_head();
    void flush_server();
    void drop_conn(ServerConn* conn);
    void release_server();
    void tunnel_pump();

    Worker& worker_;
    FrontendState& fe_;
    Endpoint peer_;
    std::string peer_ip_;
    Transport cli_;
    const tls::FrontendTls* tls_;                // null: plain HTTP
    std::unique_ptr<http::TlsFacts> tls_facts_;  // read at the first request of a TLS connection
    State state_ = State::kIdle;
    Timer timer_;
    int64_t deadline_ = 0;
    int64_t started_ms_ = 0;
    bool client_eof_ = false;
    bool client_writable_ = true;
    // epoll reported the client's FIN (or an error): reads go on until recv() says so, since
    // edge-triggered epoll will not report it again after a short read.
    bool client_fin_seen_ = false;
    bool served_request_ = false;  // a request head arrived on this connection

    // Lazily created with the first request byte: idle sessions stay small.
    std::unique_ptr<Exchange> x_;

    BackendState* be_ = nullptr;
    ServerState* srv_ = nullptr;  // server of the current request (slot taken)
    ServerConn* conn_ = nullptr;  // connection of the current request
    std::vector<std::unique_ptr<ServerConn>> conns_;
    int retries_left_ = 0;
    bool in_read_server_ = false;  // re-entrancy guard: flush_client may resume reading
};

}  // namespace octane::proxy

namespace octane::proxy {
// Creates an HttpSession owned by the worker's loop.
void start_http_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer,
                        const tls::FrontendTls* tls);
}  // namespace octane::proxy
