#pragma once

// Which amphorae the health manager fails over (docs/amphora.md §3): those whose
// last heartbeat is older than heartbeat_timeout, not busy, in ALLOCATED or FAILOVER_STOPPED.
// With a failover_threshold, a mass outage (stale count >= threshold) stops instead of failing
// over: every stale amphora goes to FAILOVER_STOPPED, and comes back to ALLOCATED once it reports
// again. Amphorae that never sent a heartbeat have no row and are never stale. Pure.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace octane::controller::health {

struct AmphoraHealthRow {
    std::string amphora_id;
    std::chrono::system_clock::time_point last_update;
    bool busy = false;   // a flow is already working on it
    std::string status;  // amphora status: ALLOCATED, FAILOVER_STOPPED, ...
};

struct StaleDecision {
    std::vector<std::string> failover;  // start failover_amphora for these
    std::vector<std::string> stop;      // set FAILOVER_STOPPED (threshold reached)
    std::vector<std::string> resume;    // FAILOVER_STOPPED but fresh again: set ALLOCATED
};

StaleDecision decide_stale(const std::vector<AmphoraHealthRow>& rows,
                           std::chrono::system_clock::time_point now,
                           std::chrono::seconds heartbeat_timeout,
                           std::optional<size_t> failover_threshold);

}  // namespace octane::controller::health
