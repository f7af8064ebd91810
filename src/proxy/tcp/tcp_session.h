#pragma once

// An L4 session: accept -> pick -> non-blocking connect (retries, redispatch on the last retry
// to another server, as HAProxy's default `option redispatch`) -> bidirectional pump with
// correct half-close -> close. Memory while idle is this object only: data parked because a
// peer is slow lives in a pooled buffer (or splice pipe) held only until it drains.
// Loop-thread only.

#include <cstdint>

#include "proxy/io/address.h"
#include "proxy/io/buffer_pool.h"
#include "proxy/io/transport.h"
#include "proxy/loop/event_loop.h"
#include "proxy/runtime/state.h"

namespace octane::proxy {

class Worker;

class TcpSession final : public IoHandler, public TimerHandler, public Deferred {
  public:
    TcpSession(Worker& worker, FrontendState& fe, int client_fd, const Endpoint& peer);
    ~TcpSession() override;
    // Registers the client socket and starts connecting to a server.
    void start();

    void on_io(uint32_t events, unsigned tag) override;
    void on_timer(Timer& timer) override;

  private:
    enum class State : uint8_t { kConnecting, kTurnaround, kEstablished, kClosed };
    struct Side {
        Transport io;  // the socket; TLS to a server with `ssl` (never spliced)
        bool readable = false;
        bool writable = false;
        bool eof = false;         // read side finished (FIN received)
        bool fin_queued = false;  // epoll reported RDHUP: the FIN sits behind the queued bytes
        bool shut_wr = false;     // we sent our FIN
    };
    // Bytes travelling from one side to the other that the destination did not take yet.
    struct Flow {
        char* buf = nullptr;
        uint32_t off = 0;
        uint32_t len = 0;
        Pipe pipe;
        uint32_t in_pipe = 0;
        bool splice = false;     // this direction moves data with splice(2)
        uint8_t full_reads = 0;  // consecutive buffer-filling reads: a bulk transfer
        int64_t bytes = 0;
    };

    bool connect_server(int avoid);
    bool connect_picked();
    void on_connect_result(int err);
    void retry_or_fail();
    void established();
    // `ssl` servers: the PROXY header in the clear, then the handshake starts.
    bool start_server_tls();
    // Moves data from -> to; returns false when the session must end.
    bool pump(Side& from, Side& to, Flow& f);
    bool pump_copy(Side& from, Side& to, Flow& f);
    bool pump_splice(Side& from, Side& to, Flow& f);
    bool flush(Side& to, Flow& f);
    void drive();
    void touch();
    void arm_idle_timer();
    void close_session(bool error);
    void release_flow(Flow& f);

    Worker& worker_;
    FrontendState& fe_;
    BackendState* be_ = nullptr;
    ServerState* srv_ = nullptr;
    ServerState* retry_server_ = nullptr;  // during the turnaround pause
    Endpoint peer_;
    Side client_;
    Side server_;
    Flow c2s_;
    Flow s2c_;
    Timer timer_;
    int64_t accept_ms_ = 0;
    int64_t last_activity_ = 0;
    int64_t idle_timeout_ms_ = 0;
    int64_t connect_ms_ = 0;
    int retries_left_ = 0;
    State state_ = State::kConnecting;
};

}  // namespace octane::proxy

namespace octane::proxy {
// Creates a TcpSession owned by the worker's loop.
void start_tcp_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer);
}  // namespace octane::proxy
