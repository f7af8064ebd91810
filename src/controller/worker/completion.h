#pragma once

// What the database must become once a load balancer's pending change has been carried out
// (or has failed): the final states of docs/octavia-api.md §3.2, computed without I/O from the tree
// as loaded.

#include <string>
#include <vector>

#include "db/object_store.h"

namespace octane::controller {

struct LoadBalancerTree {
    db::TreeObject load_balancer;
    std::vector<db::TreeObject> listeners, pools, members, health_monitors, l7policies, l7rules;
    bool failover_requested = false;
    std::string failover_amphora_id;  // the amphora to replace; empty: all (load balancer failover)
};

struct StatusChange {
    model::Kind kind;
    std::string id;
    enum class Action { kSetStatus, kDelete, kUpdateAttrs } action = Action::kSetStatus;
    std::string provisioning_status;  // empty = unchanged
    std::string operating_status;     // empty = unchanged
    nlohmann::json attrs;             // for kUpdateAttrs: the new attrs
};

// Success: PENDING_CREATE/UPDATE → ACTIVE; PENDING_DELETE objects removed with their
// descendants; references to removed pools cleared; L7 positions compacted; health monitor
// removal turns the pool's members NO_MONITOR; HM/L7 operating status follows admin_state_up.
// A load balancer in PENDING_DELETE becomes DELETED and all its children are removed.
std::vector<StatusChange> plan_success(const LoadBalancerTree& tree);

// Failure: the objects the change was about go ERROR; parents that were only marked for
// re-rendering return to ACTIVE; the load balancer goes ERROR when the change was its own
// (create, update, delete, failover), else ACTIVE.
std::vector<StatusChange> plan_failure(const LoadBalancerTree& tree);

// The load balancer graph the amphora must serve: API-shaped objects, PENDING_DELETE ones left out.
nlohmann::json desired_graph(const LoadBalancerTree& tree);

}  // namespace octane::controller
