#pragma once

// The agent's end of the engine's readiness notification (sd_notify "READY=1", see
// proxy/runtime/ready_notify.h): an abstract unix datagram socket per engine start, so a start or
// reload is reported as done only once the new engine serves, and as failed when it exits first.

#include <chrono>
#include <string>

#include <sys/types.h>

#include "common/result.h"

namespace octane::agent {

enum class Readiness { kReady, kExited, kTimedOut };

class ReadyListener {
  public:
    static Result<ReadyListener> open();
    ReadyListener(ReadyListener&& other) noexcept;
    ReadyListener& operator=(ReadyListener&&) = delete;
    ~ReadyListener();

    // "NOTIFY_SOCKET=@..." for the child's environment.
    std::string environment_entry() const;
    // Waits up to `limit` for READY=1 from `child` or for its exit (then reaped, status set).
    Readiness wait(pid_t child, std::chrono::milliseconds limit, int* status);

  private:
    // Reads every pending datagram; true when one said READY=1.
    bool got_ready();
    ReadyListener(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
    int fd_ = -1;
    std::string name_;  // abstract name without the leading NUL
};

}  // namespace octane::agent
