#include "controller/health/host_evacuation.h"

#include "controller/health/evacuation_plan.h"
#include "db/compute_hosts.h"

namespace octane::controller::health {

Result<std::optional<FailoverRequest>> HostEvacuation::run_once() {
    using None = std::optional<FailoverRequest>;
    db::ComputeHosts hosts(db_);
    auto listed = hosts.list();
    if (!listed) {
        return Unexpected(listed.error());
    }
    EvacuationInput input;
    input.peers_may_share_host = peers_may_share_host_;
    for (const auto& host : *listed) {
        (host.enabled ? input.enabled_hosts : input.disabled_hosts).push_back(host.host);
    }
    if (input.disabled_hosts.empty()) {
        return None();  // the usual case: no further query
    }
    auto busy = hosts.failover_in_progress();
    if (!busy) {
        return Unexpected(busy.error());
    }
    input.failover_in_progress = *busy;
    auto placed = hosts.placements();
    if (!placed) {
        return Unexpected(placed.error());
    }
    for (const auto& row : *placed) {
        input.amphorae.push_back(
            {row.amphora_id, row.load_balancer_id, row.host, row.role, row.load_balancer_status});
    }
    auto next = next_evacuation(input);
    if (!next) {
        return None();
    }
    return failover_.request_failover_of(next->amphora_id);
}

}  // namespace octane::controller::health
