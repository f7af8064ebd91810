#pragma once

// Which amphorae a load balancer needs and in which roles (Octavia's amphora flows): SINGLE is
// one STANDALONE amphora; ACTIVE_STANDBY two, MASTER (vrrp_priority 100) and BACKUP (90), on
// different compute hosts (Octavia's anti-affinity server group). On failover of one amphora of a
// pair the survivor keeps the VIP and becomes (or stays) MASTER; the replacement is the BACKUP.
// Pure: the worker feeds it the rows and carries the plan out.

#include <optional>
#include <string>
#include <vector>

namespace octane::controller {

inline constexpr const char* kSingle = "SINGLE";
inline constexpr const char* kActiveStandby = "ACTIVE_STANDBY";
// Octavia's ROLE_MASTER_PRIORITY and ROLE_BACKUP_PRIORITY.
inline constexpr int kMasterPriority = 100;
inline constexpr int kBackupPriority = 90;

// The topology in force: the amphorae's roles decide for a load balancer that has some (it was
// built so; the option may have changed since), else the flavor's loadbalancer_topology, else
// [controller_worker] loadbalancer_topology. ACTIVE_STANDBY falls back to SINGLE when the
// drivers cannot run VRRP.
std::string topology_of(const std::vector<std::string>& current_roles,
                        const std::optional<std::string>& flavor_topology,
                        const std::string& default_topology, bool vrrp_capable);

struct RoleAssignment {
    std::string role;                  // STANDALONE, MASTER or BACKUP
    std::optional<int> vrrp_priority;  // none for STANDALONE
};

struct AmphoraPlan {
    std::vector<RoleAssignment> create;      // in order: MASTER before BACKUP
    std::optional<RoleAssignment> survivor;  // new role of the amphora kept, when it changes
};

// What to create (and how the one kept changes) given the roles of the amphorae that remain.
AmphoraPlan plan_amphorae(const std::string& topology, const std::vector<std::string>& kept_roles);

}  // namespace octane::controller
