#pragma once

// The simulated compute hosts amphorae run on and their admin state, shared by every controller
// process through the database (Neutron keeps its agents' admin_state_up the same way; `octane
// host-agent disable` is `openstack network agent set --disable`). The network driver registers
// its hosts at start; a disabled host gets no new amphorae and the health manager fails its
// amphorae over (controller/health/host_evacuation.h).

#include <string>
#include <vector>

#include "db/database.h"

namespace octane::db {

struct ComputeHost {
    std::string host;  // "host-1"
    bool enabled = true;
    std::string updated_at;
    int amphorae = 0;  // ALLOCATED amphorae placed there (cached_zone)
};

// An ALLOCATED amphora, where it runs, and its load balancer's state: what evacuation decides on.
struct AmphoraPlacementRow {
    std::string amphora_id;
    std::string load_balancer_id;
    std::string host;  // cached_zone
    std::string role;  // SINGLE, MASTER, BACKUP
    std::string load_balancer_status;
};

class ComputeHosts {
  public:
    explicit ComputeHosts(Database& db) : db_(db) {}

    // Adds the hosts not known yet (enabled); existing rows keep their state.
    Result<void> register_hosts(const std::vector<std::string>& hosts, const std::string& now);
    Result<std::vector<ComputeHost>> list();
    // False when the host is unknown.
    Result<bool> set_enabled(const std::string& host, bool enabled, const std::string& now);
    Result<std::vector<std::string>> disabled();
    Result<std::vector<AmphoraPlacementRow>> placements();
    // Whether any failover (of any cause) is still being carried out.
    Result<bool> failover_in_progress();

  private:
    Database& db_;
};

}  // namespace octane::db
