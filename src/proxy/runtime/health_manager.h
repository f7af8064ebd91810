#pragma once

// Owns the health checkers of every `check` server and applies their verdicts to the shared
// server state and balancer. Runs on one worker loop (checks are few and cheap).

#include <memory>
#include <vector>

#include "proxy/health/server_checker.h"
#include "proxy/runtime/state.h"

namespace octane::proxy {

class AccessLog;

class HealthManager {
  public:
    HealthManager(EventLoop& loop, Snapshot& snap, AccessLog* log);
    ~HealthManager();
    // Builds every checker; reports configuration problems (bad regex) as errors.
    Result<void> init();
    // Schedules first probes, spread over each server's interval (HAProxy staggers too).
    void start();

  private:
    struct Binding;
    EventLoop& loop_;
    Snapshot& snap_;
    AccessLog* log_;
    std::vector<std::unique_ptr<Binding>> bindings_;
};

}  // namespace octane::proxy
