#pragma once

// The health manager service (docs/amphora.md §3): a UDP receiver thread turning heartbeats into
// operating statuses, statistics and liveness (heartbeat_processor.h), and a check thread that
// every check_interval fails over silent amphorae (failover_check.h) and one amphora of a
// disabled compute host (host_evacuation.h), and refreshes the counters file. Runs inside `octane
// serve` and alone as `octane health`.
//
// Files in state_dir (when set): health.port (the bound UDP port, written once bound, so tests
// and agents can bind port 0) and health-counters.json (health_counters.h, rewritten when a count
// changed, at most once per check interval, and at stop).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "controller/health/failover_check.h"
#include "controller/health/health_counters.h"
#include "controller/health/heartbeat_processor.h"
#include "controller/health/heartbeat_receiver.h"
#include "controller/health/heartbeat_store.h"
#include "controller/health/host_evacuation.h"
#include "db/database.h"
#include "wire/heartbeat_envelope.h"

namespace octane::controller::health {

struct HealthManagerOptions {
    std::string bind_ip = "127.0.0.1";
    uint16_t bind_port = 5555;  // 0 = any; see health.port
    std::string heartbeat_key;
    std::chrono::seconds heartbeat_timeout{60};
    std::chrono::seconds check_interval{3};
    size_t max_datagram = wire::kMaxDatagram;
    bool fail_over_never_seen = true;  // failover_check.h
    std::string state_dir;             // empty: no files written
    // Heartbeats arriving within this window are applied in one transaction (0: one each).
    std::chrono::milliseconds batch_window{100};
    bool peers_may_share_host = false;  // `[nova]` anti-affinity off or soft: evacuation_plan.h
};

inline constexpr const char* kHealthPortFile = "health.port";
inline constexpr const char* kHealthCountersFile = "health-counters.json";

class HealthManager {
  public:
    // notify_worker (may be empty): called after failovers were requested, so a worker in this
    // process starts at once instead of at its next poll.
    HealthManager(db::Database& db, const Clock& clock, HealthManagerOptions options,
                  std::function<void()> notify_worker);
    ~HealthManager();

    // Creates the health table, binds the socket, writes health.port, starts both threads.
    Result<void> start();
    // Stops both threads and writes the counters a last time; idempotent.
    void stop();

    uint16_t port() const { return receiver_ ? receiver_->port() : 0; }
    const HealthCounters& counters() const { return counters_; }
    // One check pass (also what the check thread runs); public for tests.
    void check_now();

  private:
    void check_loop();
    void evacuate_next();
    void publish_counters();

    db::Database& db_;
    const Clock& clock_;
    HealthManagerOptions options_;
    std::function<void()> notify_worker_;
    HealthCounters counters_;
    HeartbeatStore store_;
    std::unique_ptr<HeartbeatProcessor> processor_;  // receiver thread only
    std::unique_ptr<FailoverCheck> check_;           // check thread only
    std::unique_ptr<HostEvacuation> evacuation_;     // check thread only
    std::unique_ptr<HeartbeatReceiver> receiver_;
    uint64_t published_total_ = UINT64_MAX;  // check thread only
    uint64_t logged_problems_ = 0;           // check thread only
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
    std::thread check_thread_;
};

}  // namespace octane::controller::health
