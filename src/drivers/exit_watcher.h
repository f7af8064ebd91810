#pragma once

// Watches processes that are not our children (the detached agents of local amphorae) through
// their pidfds, in one thread blocked in poll: an exit is reported the moment it happens, and
// watching costs nothing while everything is alive. A watch is keyed by a name (the amphora id);
// unwatch() before stopping a process on purpose, so only deaths nobody asked for are reported.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <sys/types.h>

#include "common/result.h"

namespace octane::drivers {

class ExitWatcher {
  public:
    using OnExit = std::function<void(const std::string& name)>;

    // on_exit runs on the watcher's thread, once per watched process that exits.
    static Result<std::unique_ptr<ExitWatcher>> start(OnExit on_exit);
    ~ExitWatcher();
    ExitWatcher(const ExitWatcher&) = delete;
    ExitWatcher& operator=(const ExitWatcher&) = delete;

    // Watches pid under `name` when it is alive and its command line contains `marker` (a PID
    // read from a file may have been recycled). Checked after the pidfd is open, so the check and
    // the watch are about the same process. Replaces an earlier watch of the same name.
    Result<void> watch(const std::string& name, pid_t pid, const std::string& marker);
    // Stops watching `name` (no-op when not watched).
    void unwatch(const std::string& name);
    bool watching(const std::string& name) const;

  private:
    ExitWatcher(int wake_fd, OnExit on_exit);
    void run();

    OnExit on_exit_;
    int wake_fd_;
    mutable std::mutex mutex_;            // guards watched_, retired_, stopping_
    std::map<std::string, int> watched_;  // name -> pidfd
    std::vector<int> retired_;            // pidfds to close on the watcher's thread
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace octane::drivers
