#pragma once

// One event loop per worker thread: edge-triggered epoll, a timer heap, a cross-thread task
// queue woken through an eventfd, and deferred destruction so a handler freed while handling one
// event is never touched by a later event of the same batch. Loop-thread only, except post().
// io_uring was considered; epoll + splice is what HAProxy measures against and is simpler to
// keep correct within this budget. Before blocking, the loop polls for a short adaptive window
// (spin_window.h): waking a halted virtual CPU costs the waker more than the poll costs us; not
// while its thread has to share the CPU (contention_gate.h).

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <sys/epoll.h>

#include "proxy/loop/contention_gate.h"
#include "proxy/loop/spin_window.h"
#include "proxy/loop/timer_heap.h"

namespace octane::proxy {

// Receives epoll events; `tag` is the low bit the handler registered with (0 or 1), so one
// object can own two descriptors (client side, server side).
class IoHandler {
  public:
    virtual void on_io(uint32_t events, unsigned tag) = 0;

  protected:
    ~IoHandler() = default;
};

// Objects queued for deletion at the end of the current loop iteration.
class Deferred {
  public:
    virtual ~Deferred() = default;
};

class EventLoop {
  public:
    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    bool ok() const { return epfd_ >= 0; }
    // Registers fd edge-triggered for `events`; handler must be 2-byte aligned (tag in bit 0).
    bool add(int fd, uint32_t events, IoHandler* handler, unsigned tag = 0);
    // Changes the events of a registered fd (same handler and tag).
    bool modify(int fd, uint32_t events, IoHandler* handler, unsigned tag = 0);
    void remove(int fd);
    // Closes a registered fd. With explicit deregistration on (the process spawns external-check
    // programs), the fd leaves epoll first: a child between fork and exec holds a copy of every
    // descriptor, and epoll would keep reporting a closed-but-still-open socket to a freed
    // handler. Without children, close() alone deregisters and saves a syscall.
    void close_fd(int fd);
    void set_explicit_deregistration(bool on) { explicit_del_ = on; }
    // The deregistration half of close_fd(), for callers that close in their own way.
    void remove_if_explicit(int fd) {
        if (explicit_del_) {
            remove(fd);
        }
    }

    // Monotonic milliseconds, cached once per iteration.
    int64_t now() const { return now_ms_; }
    void update_now();
    void arm(Timer& t, int64_t deadline_ms) { timers_.arm(t, deadline_ms); }
    void arm_in(Timer& t, int64_t delay_ms) { timers_.arm(t, now_ms_ + delay_ms); }
    void cancel(Timer& t) { timers_.cancel(t); }

    void defer_delete(Deferred* d) { graveyard_.push_back(d); }
    // Thread-safe: runs `fn` on the loop thread soon.
    void post(std::function<void()> fn);
    // Called on the loop thread once per iteration after events and timers.
    void set_idle_hook(std::function<void()> fn) { idle_hook_ = std::move(fn); }

    // Runs until stop() (thread-safe).
    void run();
    void stop();

  private:
    void run_posted();
    void run_timers();
    // epoll_wait, after polling for the spin window (spin_window.h) when one is open.
    int wait_events(epoll_event* events, int max, int timeout);

    int epfd_ = -1;
    int wakefd_ = -1;
    int64_t now_ms_ = 0;
    bool stopping_ = false;
    bool explicit_del_ = false;
    TimerHeap timers_;
    SpinWindow spin_;
    ContentionGate gate_;
    std::vector<Deferred*> graveyard_;
    std::mutex posted_mu_;
    std::vector<std::function<void()>> posted_;  // guarded by posted_mu_
    std::function<void()> idle_hook_;
};

}  // namespace octane::proxy
