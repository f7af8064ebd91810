#include "controller/health/stale_amphorae.h"

namespace octane::controller::health {

StaleDecision decide_stale(const std::vector<AmphoraHealthRow>& rows,
                           std::chrono::system_clock::time_point now,
                           std::chrono::seconds heartbeat_timeout,
                           std::optional<size_t> failover_threshold) {
    StaleDecision out;
    std::vector<std::string> stale;
    for (const AmphoraHealthRow& row : rows) {
        bool eligible = row.status == "ALLOCATED" || row.status == "FAILOVER_STOPPED";
        bool expired = row.last_update < now - heartbeat_timeout;
        if (eligible && expired && !row.busy) {
            stale.push_back(row.amphora_id);
        } else if (row.status == "FAILOVER_STOPPED" && !expired) {
            out.resume.push_back(row.amphora_id);
        }
    }
    if (failover_threshold && stale.size() >= *failover_threshold) {
        out.stop = std::move(stale);
    } else {
        out.failover = std::move(stale);
    }
    return out;
}

}  // namespace octane::controller::health
