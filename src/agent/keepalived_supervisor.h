#pragma once

// keepalived of an ACTIVE_STANDBY amphora (docs/amphora.md §1, the /vrrp calls): one process in
// the engine's namespace (amphora-haproxy, where the VIP interface is), run in the foreground
// (--dont-fork) as the agent's child with its own files under <state>/vrrp/, never the system's
// keepalived service. Supervised as the engines are: a monitor thread waits in one poll on its
// pidfd and an eventfd, and a keepalived that dies while wanted is started again (with the
// engines' back-off while it keeps dying).
//
// When the agent dies, keepalived is sent SIGTERM, not SIGKILL (PR_SET_PDEATHSIG): it then
// resigns as MASTER with a priority-0 advertisement, and the BACKUP takes the VIP after its skew
// time (about 0.6 s) instead of three advertisement intervals. The engines die with the agent, so
// holding the VIP any longer would only black-hole traffic.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace octane::agent {

struct KeepalivedOptions {
    std::string binary = "/usr/sbin/keepalived";
    std::string dir;    // <state>/vrrp: keepalived.conf, check_script.sh, pid files, log
    std::string netns;  // the engine's namespace; "" = ours
    // keepalived runs under `ip netns exec` (as on Octavia's amphora), not only setns(): that
    // also mounts the namespace's own /sys, where keepalived looks its interfaces up. ip execs
    // keepalived in place, so the PID (and the parent-death signal) stay keepalived's.
    std::string ip_binary = "/usr/sbin/ip";
    std::chrono::milliseconds stop_grace{5000};
};

class KeepalivedSupervisor {
  public:
    explicit KeepalivedSupervisor(KeepalivedOptions options);
    ~KeepalivedSupervisor();
    KeepalivedSupervisor(const KeepalivedSupervisor&) = delete;
    KeepalivedSupervisor& operator=(const KeepalivedSupervisor&) = delete;

    std::string config_path() const;
    std::string check_script_path() const;
    // A configuration was uploaded: this amphora is one of an ACTIVE_STANDBY pair.
    bool configured() const;

    // Starts the monitor, and keepalived when configured and not stopped on purpose.
    void start_monitor();
    // `keepalived --config-test` on a candidate file: its messages when refused.
    Result<void> check_config(const std::string& path) const;
    // Starts keepalived, or reloads it (SIGHUP) when it runs, as Octavia's agent does for start.
    Result<void> start();
    Result<void> reload();
    // Octane's takeover (drivers/vrrp_takeover.h): keepalived is killed (-9, main and VRRP
    // process, waited for) and started again on the uploaded configuration, so that
    // configuration's initial state applies at once. A reload would keep the instance's state and
    // restart its master-down timer; a SIGTERM stop takes keepalived a second. Killing is safe
    // here: a starting keepalived first removes the addresses, routes and rules it manages.
    Result<void> restart();
    // Stops keepalived and keeps it stopped (also across agent restarts).
    Result<void> stop();
    // Stops keepalived and the monitor, for agent shutdown; later calls are no-ops.
    void stop_all();

    std::optional<pid_t> pid() const;

  private:
    using Clock = std::chrono::steady_clock;
    std::vector<std::string> in_namespace(std::vector<std::string> argv) const;
    Result<void> spawn_locked();
    void stop_locked();
    void kill_locked();
    // Takes the lock; kill_first: restart() rather than start().
    Result<void> start_or_restart(bool kill_first);
    void monitor();

    KeepalivedOptions options_;
    mutable std::mutex mutex_;  // guards everything below but monitor_
    int wake_fd_ = -1;
    pid_t pid_ = 0;
    int pidfd_ = -1;            // of pid_; closed only by the monitor (see retired_)
    std::vector<int> retired_;  // pidfds of stopped processes, closed by the monitor
    bool wanted_ = false;
    bool stopping_ = false;
    int crashes_ = 0;
    Clock::time_point started_{};
    Clock::time_point next_restart_{};
    std::thread monitor_;
};

}  // namespace octane::agent
