#include "controller/worker/topology.h"

namespace octane::controller {

std::string topology_of(const std::vector<std::string>& current_roles,
                        const std::optional<std::string>& flavor_topology,
                        const std::string& default_topology, bool vrrp_capable) {
    std::string topology = flavor_topology.value_or(default_topology);
    for (const auto& role : current_roles) {
        topology = role == "MASTER" || role == "BACKUP" ? kActiveStandby : kSingle;
    }
    return topology == kActiveStandby && vrrp_capable ? kActiveStandby : kSingle;
}

AmphoraPlan plan_amphorae(const std::string& topology, const std::vector<std::string>& kept_roles) {
    AmphoraPlan plan;
    const RoleAssignment master{"MASTER", kMasterPriority};
    const RoleAssignment backup{"BACKUP", kBackupPriority};
    if (topology != kActiveStandby) {
        if (kept_roles.empty()) {
            plan.create.push_back({"STANDALONE", std::nullopt});
        }
        return plan;
    }
    if (kept_roles.empty()) {
        plan.create = {master, backup};
    } else if (kept_roles.size() == 1) {
        if (kept_roles.front() != "MASTER") {
            plan.survivor = master;
        }
        plan.create = {backup};
    }
    return plan;
}

}  // namespace octane::controller
