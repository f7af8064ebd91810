#pragma once

// Index-tracking binary min-heap of timers: arm, re-arm and cancel are O(log n) with no
// allocation once the heap has grown. Sessions keep one Timer each and re-arm it lazily (they
// store the real deadline and only move the heap entry when it fires early), so activity on a
// connection costs a store, not a heap operation.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace octane::proxy {

class Timer;

class TimerHandler {
  public:
    virtual void on_timer(Timer& timer) = 0;

  protected:
    ~TimerHandler() = default;
};

class Timer {
  public:
    explicit Timer(TimerHandler* handler = nullptr) : handler_(handler) {}
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    bool armed() const { return index_ != kNone; }
    int64_t deadline() const { return deadline_; }
    void set_handler(TimerHandler* h) { handler_ = h; }
    TimerHandler* handler() const { return handler_; }

  private:
    friend class TimerHeap;
    static constexpr size_t kNone = static_cast<size_t>(-1);
    TimerHandler* handler_;
    int64_t deadline_ = 0;
    size_t index_ = kNone;
};

class TimerHeap {
  public:
    // Arms (or moves) `t` to fire at `deadline_ms`.
    void arm(Timer& t, int64_t deadline_ms);
    void cancel(Timer& t);
    bool empty() const { return heap_.empty(); }
    int64_t next_deadline() const { return heap_.front()->deadline_; }
    // Removes and returns the earliest timer if it is due at `now_ms`, else nullptr.
    Timer* pop_due(int64_t now_ms);
    size_t size() const { return heap_.size(); }

  private:
    void sift_up(size_t i);
    void sift_down(size_t i);
    void place(size_t i, Timer* t) {
        heap_[i] = t;
        t->index_ = i;
    }
    std::vector<Timer*> heap_;
};

}  // namespace octane::proxy
