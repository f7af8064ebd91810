#pragma once

// One worker thread: its event loop, its registrations of the shared listening sockets
// (listen_socket.h), its buffer and pipe pools. Sessions live on exactly one worker and never
// migrate.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "proxy/io/buffer_pool.h"
#include "proxy/loop/event_loop.h"
#include "proxy/runtime/listen_socket.h"
#include "proxy/runtime/state.h"

namespace octane::proxy {

class AccessLog;
class ExchangePool;
class Worker;
struct ThreadActivity;
struct WorkerTeam;

// Sessions that must react to a soft stop (HTTP: close idle keep-alive connections and end
// active ones after their response). Intrusive list: registration costs no allocation.
class SoftStoppable {
  public:
    virtual void on_soft_stop() = 0;

  protected:
    ~SoftStoppable() = default;

  private:
    friend class Worker;
    SoftStoppable* prev_ = nullptr;
    SoftStoppable* next_ = nullptr;
};

// One worker's registration of a shared listening socket.
class Listener final : public IoHandler {
  public:
    Listener(Worker& w, FrontendState& fe, ListenSocket& sock)
        : worker_(w), fe_(fe), sock_(&sock) {}
    void on_io(uint32_t events, unsigned tag) override;
    // Accepts until the queue is empty, a limit is reached or `max` connections were taken;
    // returns false when paused.
    bool accept_all(size_t max = SIZE_MAX);
    // Soft stop: leaves this worker's epoll, accepts what is already queued (a wakeup for it may
    // have been given to this worker alone, and the next process would not see it until another
    // connection arrives), then drops this worker's reference to the socket.
    void stop_accepting();
    // Leaves this worker's epoll and drops this worker's reference to the socket.
    void close_fd();
    bool paused() const { return paused_; }

  private:
    bool at_limit() const;

    Worker& worker_;
    FrontendState& fe_;
    ListenSocket* sock_;  // null once closed
    bool paused_ = false;
};

class Worker {
  public:
    // `team` outlives the worker; `index` is this worker's place in it.
    Worker(Snapshot& snap, int index, AccessLog* log, WorkerTeam& team);
    ~Worker();

    EventLoop& loop() { return loop_; }
    Snapshot& snapshot() { return snap_; }
    int index() const { return index_; }
    AccessLog* access_log() { return log_; }
    BufferPool& buffers() { return buffers_; }
    PipePool& pipes() { return pipes_; }
    char* scratch() { return scratch_; }
    ExchangePool& exchanges() { return *exchanges_; }

    // Registers a shared listening socket (before run()); this worker holds one reference.
    void add_listener(FrontendState& fe, ListenSocket& sock);
    void run();
    // Thread-safe: stop accepting; the worker exits once its sessions are gone.
    void soft_stop();
    // Thread-safe: stop now.
    void hard_stop() { loop_.stop(); }

    // Session accounting (loop thread).
    void session_opened() { sessions_.fetch_add(1, std::memory_order_relaxed); }
    void session_closed();
    int64_t sessions() const { return sessions_.load(std::memory_order_relaxed); }
    void note_paused();
    ThreadActivity& activity();
    // The worker with the fewest sessions, this one on a tie: where a new connection goes, so
    // one thread does not take every connection of a burst (HAProxy's multi-queue accept).
    Worker& least_loaded();
    // Thread-safe: serve an accepted connection, already counted in session_opened(), on this
    // worker's loop.
    void adopt(FrontendState& fe, int fd, const Endpoint& peer, const tls::FrontendTls* tls);
    // Thread-safe: retry the paused listeners on this worker's loop.
    void post_resume();
    bool stopping() const { return stopping_; }
    void link(SoftStoppable* s);
    void unlink(SoftStoppable* s);

  private:
    void resume_paused();
    void retry_paused_listeners();
    // Soft stop: ends the loop once this worker has no session and no worker accepts any more.
    void exit_if_done();

    Snapshot& snap_;
    int index_;
    AccessLog* log_;
    EventLoop loop_;
    BufferPool buffers_;
    PipePool pipes_;
    std::unique_ptr<ExchangePool> exchanges_;  // HTTP exchanges of idle keep-alive connections
    char scratch_[kIoBufferSize];
    std::vector<std::unique_ptr<Listener>> listeners_;
    // Read by the other workers on every accept: kept off the lines this thread writes often.
    alignas(64) std::atomic<int64_t> sessions_{0};
    bool stopping_ = false;
    bool any_paused_ = false;
    WorkerTeam& team_;
    SoftStoppable* stoppables_ = nullptr;
};

}  // namespace octane::proxy
