#pragma once

// Child processes of the agent: the engine (long-lived, supervised) and its `-c` checks
// (short-lived, output captured). fork/exec rather than posix_spawn because the child must unblock
// the signals the agent's threads block, join a process group of its own, and ask to be killed when
// the agent dies (PR_SET_PDEATHSIG), so an amphora killed with -9 leaves no engine holding its VIP.

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace octane::agent {

struct SpawnOptions {
    std::string output_file;             // stdout+stderr appended here; empty = /dev/null
    bool die_with_parent = true;         // PR_SET_PDEATHSIG, bound to the calling thread
    int death_signal = SIGKILL;          // what the parent's death sends
    std::vector<std::string> extra_env;  // "NAME=value" added to (or replacing in) our environment
    std::string netns;                   // run in /run/netns/<netns>; "" = our namespace
};

// Starts argv[0] with argv; returns the child's pid. The caller must reap it (waitpid).
Result<pid_t> spawn_process(const std::vector<std::string>& argv, const SpawnOptions& options);

struct CommandOutcome {
    int exit_code = -1;  // -1 when killed by a signal or the timeout
    bool timed_out = false;
    std::string output;  // stdout and stderr interleaved, truncated at 1 MiB
};

// Runs argv to completion (killed after `timeout`) and captures its output.
Result<CommandOutcome> run_command(const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout);

// Sends `signal` to pid, then waits up to `grace` for it to exit (reaping it), then SIGKILLs and
// reaps it. Returns true when the process is gone (or was not ours to reap any more).
bool stop_process(pid_t pid, int signal, std::chrono::milliseconds grace);

}  // namespace octane::agent
