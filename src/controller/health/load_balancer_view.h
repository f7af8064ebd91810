#pragma once

// Reads what the roll-up needs to know about the amphora that sent a heartbeat: the amphora row,
// and the DB view (status_rollup.h LoadBalancerState) of the load balancer it serves. The caller
// runs it inside the transaction that writes the result, so the view cannot go stale in between.

#include <optional>
#include <string>

#include "controller/health/status_rollup.h"
#include "db/database.h"

namespace octane::controller::health {

struct AmphoraView {
    std::string amphora_id;
    std::string status;                              // amphorae.status
    std::string load_balancer_id;                    // empty for a spare amphora
    std::optional<LoadBalancerState> load_balancer;  // nullopt when its row is missing
};

// nullopt when the amphorae table has no row for amphora_id. Members are those of the LB's pools
// (their load_balancer_id column), grouped by parent pool, in creation order.
Result<std::optional<AmphoraView>> load_amphora_view(db::Database& db,
                                                     const std::string& amphora_id);

}  // namespace octane::controller::health
