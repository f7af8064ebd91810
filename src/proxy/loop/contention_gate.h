#pragma once

// Whether the event loop may poll before blocking (spin_window.h): not for a while after it was
// preempted in the middle of a poll.
//
// Polling pays only while the CPU is the loop's alone. When another task wants it (a build, a
// second process pinned to the same CPU), a loop that polls seldom sleeps, so the scheduler sees
// a CPU hog: it loses the priority a sleeper gets on wake-up and is preempted for whole time
// slices (milliseconds), with every connection waiting. Measured with a busy loop on the proxy's
// CPU: the polling binary served 5.4k req/s with a 185 ms p99 in one run of three, where blocking
// at once kept 19k req/s and 7 ms. A poll step (one epoll_wait(0), about a microsecond) that
// took longer than kPreemptedNs means the thread lost the CPU meanwhile; the loop then blocks at
// once for kHoldOffMs, as HAProxy's always does, and tries polling again after it.
// (The thread's schedstat run_delay was tried as the signal first: it also counts the wait
// between a wake-up and running again, which on this VM kept polling closed without any
// competitor, at a third of the throughput.)

#include <cstdint>

namespace octane::proxy {

class ContentionGate {
  public:
    static constexpr int64_t kPreemptedNs = 500'000;
    static constexpr int64_t kHoldOffMs = 1'000;

    // One poll step took `step_ns` (wall clock), ending at `now_ms`.
    void on_poll_step(int64_t step_ns, int64_t now_ms) {
        if (step_ns > kPreemptedNs) {
            hold_until_ms_ = now_ms + kHoldOffMs;
        }
    }
    bool allows_polling(int64_t now_ms) const { return now_ms >= hold_until_ms_; }

  private:
    int64_t hold_until_ms_ = 0;
};

}  // namespace octane::proxy
