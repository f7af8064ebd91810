#pragma once

// How long an event loop keeps polling (epoll_wait with a zero timeout) before it blocks.
//
// On a virtual machine a CPU that blocks halts, and waking it again costs the waker an
// inter-processor interrupt (a VM exit on most hypervisors) and the wakee tens of
// microseconds. A proxy that does little per event blocks after nearly every one: measured
// 0.2-0.5 sleeps per L4 keep-alive request against HAProxy's 0.1-0.2, which costs the load
// generator's and members' CPU more than the proxy saves on its own (src/proxy/README.md).
// Polling a little first keeps the proxy awake while events arrive close together, and
// the window adapts as the guest kernel's haltpoll governor does: it grows while blocking
// waits end soon after they start (a poll would have caught the event) and halves when a
// whole poll found nothing, down to zero for a quiet loop, which then blocks at once.

#include <cstdint>

namespace octane::proxy {

class SpinWindow {
  public:
    static constexpr int64_t kStartNs = 10'000;
    static constexpr int64_t kMaxNs = 100'000;

    // Nanoseconds to poll before blocking; 0: block at once.
    int64_t window_ns() const { return window_ns_; }
    // A blocking wait ended with events after `slept_ns`.
    void on_woken(int64_t slept_ns) {
        if (slept_ns < kMaxNs) {
            window_ns_ =
                window_ns_ == 0 ? kStartNs : (window_ns_ * 2 > kMaxNs ? kMaxNs : window_ns_ * 2);
        }
    }
    // A poll of the whole window found nothing.
    void on_missed() {
        window_ns_ /= 2;
        if (window_ns_ < kStartNs) {
            window_ns_ = 0;
        }
    }

  private:
    int64_t window_ns_ = 0;
};

}  // namespace octane::proxy
