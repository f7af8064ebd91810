#pragma once

// The vrrp_groups table (Octavia's VRRPGroupRepository): the keepalived group of an
// ACTIVE_STANDBY load balancer (name, auth, advert_int), shared by its amphorae's configurations.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace octane::db {

class VrrpGroupRepository {
  public:
    explicit VrrpGroupRepository(Database& db) : db_(db) {}

    Result<std::optional<nlohmann::json>> get(const std::string& lb_id);
    // Stores group unless the load balancer has one already (the first one stays).
    Result<void> insert_if_absent(const std::string& lb_id, const nlohmann::json& group);
    Result<void> remove(const std::string& lb_id);

  private:
    Database& db_;
};

}  // namespace octane::db
