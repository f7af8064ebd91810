#pragma once

// The VRRP takeover's memory across controller restarts (vrrp_takeover.h): the last graph pushed
// to each ACTIVE_STANDBY amphora and where its agent answers, kept in the controller's own state
// directory (`<state>/vrrp/<amphora id>.json`, 0600: the graph carries the pair's VRRP password).
// Without it, a controller restarted since the pair was built knew no graph, and a silent MASTER
// death waited for VRRP's master-down timer again. Never the amphora's files: the controller
// reaches amphorae only through their agents.

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::drivers {

struct StoredVrrpGraph {
    nlohmann::json graph;
    std::string compute_id;     // where the agent runs (the amphora's compute_id)
    std::string lb_network_ip;  // where its API listens
};

class VrrpGraphStore {
  public:
    explicit VrrpGraphStore(std::string dir) : dir_(std::move(dir)) {}

    Result<void> save(const std::string& amphora_id, const StoredVrrpGraph& stored) const;
    void forget(const std::string& amphora_id) const;
    // Every graph saved and not forgotten; unreadable files are skipped (and logged).
    std::map<std::string, StoredVrrpGraph> load_all() const;

  private:
    std::string path_of(const std::string& amphora_id) const;
    std::string dir_;
};

}  // namespace octane::drivers
