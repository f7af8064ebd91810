#pragma once

// How long an event loop keeps polling (epoll_wait with a zero timeout) before it blocks.
//
// On a virtual machine a CPU that blocks halts, and waking it again costs the waker an
// inter-processor interrupt (a VM exit on most hypervisors) and the wakee tens of
// microseconds. A proxy that does little per event blocks after nearly every one: measured
// 0.2-0.5 sleeps per L4 keep-alive request against HAProxy's 0.1-0.2, which costs the load
// generator's and members' CPU more than the proxy saves on its own (src/proxy/README.md).
// Polling a little first keeps the proxy awake while events arrive close together.
//
// The window adapts as the guest kernel's haltpoll governor does (adjust_poll_limit): what
// counts is the whole wait, poll and block together. A wait longer than the window but within
// the maximum means a longer poll would have caught the event: grow. A wait past the maximum
// means polling that long is wasted: shrink, down to zero for a quiet loop, which then blocks
// at once. A poll that missed is no reason to shrink by itself: the event may come soon after
// (a member answering in 40-70 µs against a 10 µs window), and halving on every miss kept the
// window from ever reaching such waits (2 sleeps per request at one connection).

#include <cstdint>

namespace octane::proxy {

class SpinWindow {
  public:
    static constexpr int64_t kStartNs = 10'000;
    static constexpr int64_t kMaxNs = 100'000;

    // Nanoseconds to poll before blocking; 0: block at once.
    int64_t window_ns() const { return window_ns_; }
    // Events came `waited_ns` after the loop started waiting (poll and block together). Waits
    // the poll caught (within the window) change nothing.
    void on_wait(int64_t waited_ns) {
        if (waited_ns > kMaxNs) {
            window_ns_ /= 2;
            if (window_ns_ < kStartNs) {
                window_ns_ = 0;
            }
        } else if (waited_ns > window_ns_) {
            window_ns_ = window_ns_ * 2 < kStartNs ? kStartNs
                         : window_ns_ * 2 > kMaxNs ? kMaxNs
                                                   : window_ns_ * 2;
        }
    }

  private:
    int64_t window_ns_ = 0;
};

}  // namespace octane::proxy
