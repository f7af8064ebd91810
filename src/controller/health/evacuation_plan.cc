#include "controller/health/evacuation_plan.h"

#include <algorithm>

namespace octane::controller::health {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// An enabled host the replacement of `amphora` may land on.
bool has_target(const EvacuationInput& input, const PlacedAmphora& amphora) {
    if (input.peers_may_share_host) {
        return !input.enabled_hosts.empty();
    }
    std::vector<std::string> peer_hosts;
    for (const auto& other : input.amphorae) {
        if (other.load_balancer_id == amphora.load_balancer_id &&
            other.amphora_id != amphora.amphora_id) {
            peer_hosts.push_back(other.host);
        }
    }
    return std::any_of(input.enabled_hosts.begin(), input.enabled_hosts.end(),
                       [&](const std::string& host) { return !contains(peer_hosts, host); });
}

}  // namespace

std::optional<PlacedAmphora> next_evacuation(const EvacuationInput& input) {
    if (input.failover_in_progress || input.disabled_hosts.empty()) {
        return std::nullopt;
    }
    std::optional<PlacedAmphora> chosen;
    for (const auto& amphora : input.amphorae) {
        if (!contains(input.disabled_hosts, amphora.host) ||
            amphora.load_balancer_status != "ACTIVE" || !has_target(input, amphora)) {
            continue;
        }
        if (amphora.role == "BACKUP") {
            return amphora;
        }
        if (!chosen) {
            chosen = amphora;
        }
    }
    return chosen;
}

}  // namespace octane::controller::health
