#pragma once

// Starting and stopping the detached processes of the local drivers, by PID.

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace octane::drivers {

// Starts argv as a daemon (own session, reparented to init, stdin from /dev/null, stdout and
// stderr appended to log_path) and returns its PID. A non-empty netns names the network namespace
// (/run/netns/<netns>, as `ip netns exec`) it runs in.
Result<pid_t> spawn_detached(const std::vector<std::string>& argv, const std::string& log_path,
                             const std::string& netns = {});

// SIGTERM, then SIGKILL after grace; returns once the process is gone (or was already).
void stop_process(pid_t pid, std::chrono::milliseconds grace);

bool process_alive(pid_t pid);

// Whether pid is alive and its command line contains `marker` (an amphora id, a config path): a
// PID recorded before a restart may since belong to an unrelated process, which must be left be.
bool process_matches(pid_t pid, const std::string& marker);

// The live processes whose command line contains `marker` (a scan of /proc).
std::vector<pid_t> processes_matching(const std::string& marker);

}  // namespace octane::drivers
