#pragma once

// Daemons take SIGTERM/SIGINT in the main thread only, in sigwait(): the signals are blocked
// before any thread starts, and threads inherit the mask.

#include <signal.h>

namespace octane {

// Blocks SIGTERM and SIGINT in the calling thread; returns that set for sigwait().
inline sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

}  // namespace octane
