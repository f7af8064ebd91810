#pragma once

// Heartbeat -> operating statuses (docs/octavia-api.md §3.3, docs/amphora.md §3): member -> pool ->
// listener -> load balancer, plus the listener statistics the heartbeat carries. Pure: the caller
// reads the DB view, calls roll_up(), writes back only what it returns.
//
// The rules follow Octavia exactly, including its quirks (a pool reported DOWN makes the load
// balancer ERROR even when it is admin-down; a member missing from the report becomes OFFLINE
// unless it is NO_MONITOR). Disabled members and pools without a health monitor reach us through
// haproxy
// ("MAINT", "no check"), so the view needs no admin state below the listener.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wire/heartbeat.h"

namespace octane::controller::health {

struct MemberState {
    std::string id;
    std::string operating_status;
};

struct PoolState {
    std::string id;
    std::string operating_status;
    std::vector<MemberState> members;
};

struct ListenerState {
    std::string id;
    bool admin_state_up = true;
    std::string operating_status;
};

// The DB view of the load balancer that owns the reporting amphora.
struct LoadBalancerState {
    std::string id;
    bool admin_state_up = true;
    std::string provisioning_status;
    std::string operating_status;
    std::vector<ListenerState> listeners;
    std::vector<PoolState> pools;  // every pool of the LB, attached to a listener or not
};

struct StatusChange {
    std::string id;
    std::string operating_status;  // the new value
    bool operator==(const StatusChange&) const = default;
};

// What one heartbeat adds to a listener's statistics row for (listener, amphora).
struct ListenerStatsDelta {
    std::string listener_id;
    int64_t bytes_in = 0;            // rx
    int64_t bytes_out = 0;           // tx
    int64_t active_connections = 0;  // conns: a gauge, always replaces
    int64_t total_connections = 0;   // totconns
    int64_t request_errors = 0;      // ereq
    bool absolute = false;  // ver < 3: the counters replace the row instead of adding to it
};

struct RollupResult {
    std::optional<std::string> load_balancer;  // new LB operating_status, if it changed
    std::vector<StatusChange> listeners;       // only changed values, in view order
    std::vector<StatusChange> pools;
    std::vector<StatusChange> members;
    std::vector<ListenerStatsDelta> stats;  // one per reported listener known to the view
    // Octavia refreshes amphora_health.last_update only when the heartbeat reports as many
    // listeners as the LB has enabled ones (not checked while the LB is PENDING_* or disabled).
    bool refresh_liveness = false;
};

RollupResult roll_up(const LoadBalancerState& view, const wire::Heartbeat& heartbeat);

}  // namespace octane::controller::health
