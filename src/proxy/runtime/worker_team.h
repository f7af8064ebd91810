#pragma once

// What the workers of one process share: each other (a new connection goes to the least loaded
// one), the per-thread `show activity` counters, and the board of listeners paused on a limit.
// Built by the process before the workers run; they only read the vectors afterwards.

#include <vector>

#include "proxy/runtime/paused_workers.h"
#include "proxy/runtime/thread_activity.h"

namespace octane::proxy {

class Worker;

struct WorkerTeam {
    explicit WorkerTeam(size_t threads) : activity(threads) {}

    std::vector<Worker*> workers;
    std::vector<ThreadActivity> activity;  // indexed like `workers`
    PausedWorkers paused;
};

}  // namespace octane::proxy
