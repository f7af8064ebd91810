#pragma once

// An L4 session: accept -> pick -> non-blocking connect (retries, redispatch on the last retry
// to another server, as HAProxy's default `option redispatch`) -> bidirectional pump with
// correct half-close -> close. Memory while idle is this object only: data parked because a
// peer is slow lives in a pooled buffer (or splice pipe) held only until it drains. Once
// connected with nothing parked, both sockets may be joined in the kernel (sockmap/): the
// payload then never reaches the process, which keeps only the FINs, errors and timeouts.
// Loop-thread only.

#include <cstdint>

#include "proxy/io/address.h"
#include "proxy/io/buffer_pool.h"
#include "proxy/io/tcp_counts.h"
#include "proxy/io/transport.h"
#include "proxy/loop/event_loop.h"
#include "proxy/runtime/state.h"
#include "proxy/sockmap/fast_path.h"

namespace octane::proxy {

class Sockmap;
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
        bool kernel = false;   // forwarded by the kernel (sockmap) since the join
        bool no_join = false;  // stays in user space (a FIN came first, or the kernel refused)
        bool passed = false;   // kernel direction whose source the program stopped redirecting
        // Back in user space after passing, its source still in the sockmap: read with recv()
        // only (splice reads past the psock's queue), and only recv() returning 0 ends it.
        bool psock = false;
        uint64_t redirected = 0;  // bytes the kernel redirected, as last read
        KernelFlow k;
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
    bool psock_end_reached(const Side& from, const Flow& f) const;
    bool pump_splice(Side& from, Side& to, Flow& f);
    bool flush(Side& to, Flow& f);
    void drive();
    void touch();
    void arm_idle_timer();
    void close_session(bool error);
    void release_flow(Flow& f);
    // Moves one direction, in user space or by watching the kernel do it.
    bool move(Side& from, Side& to, Flow& f);
    // A kernel direction: once its source's FIN arrived and everything before it went out,
    // marks the source finished so drive() forwards the FIN.
    bool kernel_flow(Side& from, Side& to, Flow& f);
    void try_join();
    bool join_direction(Sockmap& sockmap, Side& from, Side& to, Flow& f);
    void register_events();
    uint32_t events_for(const Flow& out, const Flow& in) const;
    // Looks at the kernel again after a pause, doubling from 1 ms to kKernelDrainMaxWaitMs.
    void wait_for_kernel();
    // Reads whether the kernel stopped redirecting a direction (the backpressure bound).
    void check_passed();
    // A passed direction: once the destination took every redirected byte, back to user space.
    bool take_back(Side& from, Side& to, Flow& f);
    // The socket cookie of the flow's source (the client for c2s_, the server for s2c_).
    uint64_t source_cookie(const Flow& f) const { return &f == &c2s_ ? cookies_[0] : cookies_[1]; }
    void arm_kernel_timer();
    // Timer of a joined session: pending FINs, then the idle time from tcp_info.
    void on_kernel_timer();
    void refresh_kernel_activity();
    void account_kernel_bytes();

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
    bool joined_ = false;     // at least one direction is in the kernel
    bool linked_ = false;     // both sockets are each other's destination in the kernel
    bool join_done_ = false;  // each direction is in the kernel or stays in user space
    uint64_t cookies_[2] = {0, 0};
    bool draining_ = false;  // the timer re-checks a kernel direction's FIN soon
    int64_t drain_wait_ms_ = 0;
    int64_t pass_check_ms_ = 0;  // next look at the kernel's passed flags (0: none due)
    int8_t last_dir_ = -1;       // 0 = client to server: the direction data last moved in
    uint32_t turns_ = 0;         // times the data changed direction (user space)
};

}  // namespace octane::proxy

namespace octane::proxy {
// Creates a TcpSession owned by the worker's loop.
void start_tcp_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer);
}  // namespace octane::proxy
