#pragma once

// What the workers of one process share: each other (a new connection goes to the least loaded
// one), the per-thread `show activity` counters, and the board of listeners paused on a limit.
// Built by the process before the workers run; they only read the vectors afterwards.

#include <atomic>
#include <vector>

#include "proxy/runtime/paused_workers.h"
#include "proxy/runtime/thread_activity.h"

namespace octane::proxy {

class Worker;

struct WorkerTeam {
    explicit WorkerTeam(size_t threads) : activity(threads), accepting(static_cast<int>(threads)) {}

    std::vector<Worker*> workers;
    std::vector<ThreadActivity> activity;  // indexed like `workers`
    PausedWorkers paused;
    // Workers that have not stopped accepting yet (soft stop counts it down).
    std::atomic<int> accepting;
};

}  // namespace octane::proxy
