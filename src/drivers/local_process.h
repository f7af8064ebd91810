#pragma once

// Starting and stopping the detached processes of the local drivers, by PID.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace octane::drivers {

// The filesystem of a simulated VM (simulated_hosts.h): the daemon gets a mount namespace of its
// own in which `disk` and each `scratch` directory (existing, empty directories) are fresh tmpfs
// mounts that no other mount namespace sees, the controller's included. `files` (paths relative
// to disk, mode 0600, in directories `dirs` made first) are the config drive, written before the
// daemon starts. The mounts, and what the VM wrote into them, vanish with its last process.
struct PrivateDisk {
    std::string disk;
    std::vector<std::string> dirs;
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> scratch;
};

// Starts argv as a daemon (own session, reparented to init, stdin from /dev/null, stdout and
// stderr appended to log_path) and returns its PID. A non-empty netns names the network namespace
// (/run/netns/<netns>, as `ip netns exec`) it runs in; a disk gives it a private filesystem.
Result<pid_t> spawn_detached(const std::vector<std::string>& argv, const std::string& log_path,
                             const std::string& netns = {}, const PrivateDisk* disk = nullptr);

// SIGTERM, then SIGKILL after grace; returns once the process is gone (or was already).
void stop_process(pid_t pid, std::chrono::milliseconds grace);

bool process_alive(pid_t pid);

// Whether pid is alive and its command line contains `marker` (an amphora id, a config path): a
// PID recorded before a restart may since belong to an unrelated process, which must be left be.
bool process_matches(pid_t pid, const std::string& marker);

// Every live process whose command line contains `marker`, this one excluded.
std::vector<pid_t> processes_matching(const std::string& marker);

// SIGTERM to all at once, then SIGKILL to those still alive after grace; returns once all are gone
// (or after a bounded wait for the SIGKILLed).
void stop_processes(const std::vector<pid_t>& pids, std::chrono::milliseconds grace);

}  // namespace octane::drivers
