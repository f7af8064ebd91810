#pragma once

// One engine process (octane-proxy or haproxy, same command line) per load balancer, run in the
// foreground (`-db`) as the agent's child so the agent sees it exit:
//   start:  <engine> -db -f <state>/<lb>/haproxy.cfg -p <state>/<lb>/haproxy.pid -L <peer>
//   reload: the same plus `-sf <old pid>`: the new process binds, then tells the old one to finish
//           its connections and exit (graceful; connections in flight are not cut)
//   stop:   SIGTERM, SIGKILL after a grace period
// A UDP/SCTP listener is supervised the same way under its listener id (docs/amphora.md §5): its
// directory holds lvs.cfg instead of haproxy.cfg and the engine is `octane-proxy --lvs lvs.cfg
// --stats-socket <dir>/lvs.sock`, so start, reload (-sf), restart and stop are the same.
// A monitor thread waits in one poll on a pidfd per engine and an eventfd for commands, so an exit
// is seen the moment it happens and an idle agent does not wake at all: an engine that dies while
// wanted is restarted (backoff 0, 0.1 s, 0.2 s ... 5 s while it keeps crashing, the only timer); a
// reloaded engine that dies within seconds while its predecessor is still alive is a failed reload,
// and the predecessor stays in charge.
//
// Why not `-D` + pidfile: a daemonised engine is not our child, so its crash is only noticed by
// polling its pid, and a recycled pid could be mistaken for it. Engines die with the agent
// (PR_SET_PDEATHSIG): an amphora killed with -9 leaves nothing bound to its VIP.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace octane::agent {

struct EngineSupervisorOptions {
    std::string engine;      // path of octane-proxy or haproxy
    std::string lvs_engine;  // octane-proxy, for UDP/SCTP listeners (always readiness-notifying)
    std::string state_dir;   // <state_dir>/<lb_id>/haproxy.cfg ...
    std::string peer_name;   // -L value (wire::peer_name of the amphora id)
    std::string netns;       // network namespace the engine runs in, "" = ours
    std::chrono::milliseconds stop_grace{5000};
    // Engines that speak the readiness notification (octane-proxy): a start or reload returns
    // once the new engine serves, or fails with its messages when it exits first.
    bool wait_ready = false;
    std::chrono::milliseconds ready_timeout{10000};
};

struct RunningEngine {
    std::string lb_id;  // or the listener id of a UDP/SCTP listener
    pid_t pid = 0;
    std::string config_path;
    std::string lvs_stats_socket;  // UDP/SCTP listeners: their engine's stats socket
};

// Error::code of start/reload when the load balancer has no configuration.
inline constexpr int kNoSuchLoadBalancer = 404;

class EngineSupervisor {
  public:
    explicit EngineSupervisor(EngineSupervisorOptions options);
    ~EngineSupervisor();
    EngineSupervisor(const EngineSupervisor&) = delete;
    EngineSupervisor& operator=(const EngineSupervisor&) = delete;

    // Starts the monitor thread and the engines of every LB that has a config and was not
    // stopped on purpose (a `stopped` marker in its directory).
    void start();

    // The lvs.cfg of a UDP/SCTP listener when its directory has one, else haproxy.cfg.
    std::string config_path(const std::string& lb_id) const;
    std::string lb_dir(const std::string& lb_id) const;
    std::string lvs_config_path(const std::string& listener_id) const;
    std::string lvs_stats_socket(const std::string& listener_id) const;
    bool is_lvs(const std::string& id) const;
    const std::string& lvs_engine() const { return options_.lvs_engine; }

    // Starts the engine when it is not running (no-op otherwise).
    Result<void> start_lb(const std::string& lb_id);
    // Graceful reload on the current config; a stopped LB is started.
    Result<void> reload_lb(const std::string& lb_id);
    // Stops the engine and keeps it stopped (also across agent restarts).
    Result<void> stop_lb(const std::string& lb_id);
    // Stops the engine and forgets the LB (the caller removes its files).
    void remove_lb(const std::string& lb_id);

    // Stops every engine and the monitor; later calls are no-ops. For agent shutdown.
    void stop_all();

    std::optional<pid_t> pid_of(const std::string& lb_id) const;
    std::vector<RunningEngine> running() const;
    // Load balancers (and UDP/SCTP listeners) this agent knows, running or not, by directory with
    // a haproxy.cfg (lvs.cfg).
    std::vector<std::string> configured_lbs() const;

  private:
    using Clock = std::chrono::steady_clock;
    struct Engine {
        pid_t current = 0;
        std::chrono::steady_clock::time_point started{};
        std::vector<pid_t> retiring;  // predecessors finishing their connections after -sf
        bool wanted = false;
        int crashes = 0;
        std::chrono::steady_clock::time_point next_restart{};
    };

    // Starts an engine (taking over from `replaces` with -sf); with wait_ready, only returns it
    // once it serves, and an engine that exited instead is reaped and reported as the error.
    Result<pid_t> spawn_locked(const std::string& lb_id, pid_t replaces);
    void monitor();
    void check_locked(const std::string& lb_id, Engine& engine);
    void stop_engine_locked(const std::string& lb_id, Engine& engine);
    // Closes the pidfds of processes no engine refers to any more (reaped elsewhere); only the
    // monitor closes them, so it never polls a descriptor number that was reused meanwhile.
    void sweep_pidfds_locked();
    // How long the monitor may sleep: until the next back-off restart, or forever (-1).
    int poll_timeout_locked(Clock::time_point now) const;
    void wake_monitor() const;

    EngineSupervisorOptions options_;
    mutable std::mutex mutex_;  // guards engines_, pidfds_ and stopping_
    int wake_fd_ = -1;          // eventfd: engines_ changed, or stopping
    std::map<std::string, Engine> engines_;
    std::map<pid_t, int> pidfds_;  // engine (current or retiring) -> its pidfd
    bool stopping_ = false;
    std::thread monitor_;
};

}  // namespace octane::agent
