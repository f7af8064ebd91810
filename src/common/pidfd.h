#pragma once

// Process exits as file descriptor events (pidfd, Linux 5.3+): a pidfd becomes readable when its
// process exits, so a loop can wait for exits, commands and timers in one poll instead of checking
// PIDs on a fixed period. A pidfd names one process for its whole life, never a recycled PID.

#include <chrono>

#include <sys/types.h>

#include "common/result.h"

namespace octane {

// A pidfd of pid (any process we may signal, not only our children); close() it when done.
Result<int> open_pidfd(pid_t pid);

// Whether the process behind `pidfd` has exited (non-blocking).
bool pidfd_exited(int pidfd);

// Waits up to `limit` for the process behind `pidfd` to exit; true once it has.
bool pidfd_wait_exit(int pidfd, std::chrono::milliseconds limit);

// An eventfd to wake a poll loop from another thread (non-blocking, close-on-exec).
Result<int> open_wake_fd();
void wake(int fd);
void drain_wake(int fd);

}  // namespace octane
