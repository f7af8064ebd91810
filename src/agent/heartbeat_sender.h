#pragma once

// The amphora's heartbeat (docs/amphora.md §2): every interval, `show stat` from the stats socket
// of each running engine, one v3 message (wire::heartbeat_from_stats: listener OPEN/FULL and
// counter deltas, pool UP/DOWN, members UP/DOWN/DRAIN/MAINT/no check) sealed with the heartbeat
// key, sent over UDP to one controller per interval, round-robin. The last absolute counters are
// kept in <state>/stats_counters.json so an agent restart does not count twice. A message is sent
// even with no load balancer (it tells the health manager the amphora is alive).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agent/engine_supervisor.h"
#include "agent/request_validation.h"
#include "wire/stats_report.h"

namespace octane::agent {

struct HeartbeatSettings {
    std::vector<Endpoint> controllers;  // empty = send nothing
    std::string key;
    std::chrono::milliseconds interval{10000};
};

class HeartbeatSender {
  public:
    HeartbeatSender(std::string amphora_id, std::string counters_file, HeartbeatSettings settings,
                    const EngineSupervisor& engines);
    ~HeartbeatSender();
    HeartbeatSender(const HeartbeatSender&) = delete;
    HeartbeatSender& operator=(const HeartbeatSender&) = delete;

    void start();
    void stop();
    // New destinations/key/interval (PUT /1.0/config); applies from the next message.
    void update(HeartbeatSettings settings);
    int64_t sent() const { return sent_.load(); }

  private:
    void run();
    void send_one(const HeartbeatSettings& settings);
    void save_counters();

    std::string amphora_id_;
    std::string counters_file_;
    const EngineSupervisor& engines_;
    mutable std::mutex mutex_;  // guards settings_ and stopping_
    std::condition_variable wake_;
    HeartbeatSettings settings_;
    bool stopping_ = false;
    // Sender thread only:
    wire::CounterState counters_;
    std::string saved_counters_;  // what the file holds: an idle amphora does not rewrite it
    int sockets_[2] = {-1, -1};   // UDP, IPv4 and IPv6, opened on first use
    int64_t seq_ = 0;
    size_t next_controller_ = 0;
    std::atomic<int64_t> sent_{0};
    std::thread thread_;
};

}  // namespace octane::agent
