#pragma once

// Per-thread counters shown by `show activity`, with HAProxy's names and meaning: `accepted`
// counts the connections a thread took from a listener, `accq_pushed` the connections it was
// given to serve (by itself or by another thread), so the latter shows how the load is spread.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace octane::proxy {

// One cache line each: every accept bumps its own thread's counter and the target's.
struct alignas(64) ThreadActivity {
    std::atomic<uint64_t> accepted{0};
    std::atomic<uint64_t> accq_pushed{0};
    // Octane's own: L4 sessions this thread handed to the kernel (tune.sockmap).
    std::atomic<uint64_t> sockmap_joined{0};
};

// HAProxy's layout: "<name>: <total> [ <thread 1> <thread 2> ... ]", after "thread_id: <n>
// (1..<nbthread>)" naming the thread that answers.
std::string render_show_activity(const std::vector<ThreadActivity>& threads, int answering_thread);

}  // namespace octane::proxy
