#pragma once

// The catalog tables an admin manages (Octavia's FlavorRepository, FlavorProfileRepository,
// AvailabilityZoneRepository, AvailabilityZoneProfileRepository): rows of (id, created_at,
// attrs), outside any load balancer tree. Availability zones are keyed by their name.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace octane::db {

enum class CatalogTable {
    kFlavors,
    kFlavorProfiles,
    kAvailabilityZones,
    kAvailabilityZoneProfiles
};

struct CatalogRow {
    std::string id;
    std::string created_at;
    nlohmann::json attrs;
};

class CatalogRepository {
  public:
    CatalogRepository(Database& db, CatalogTable table) : db_(db), table_(table) {}

    Result<std::optional<CatalogRow>> get(const std::string& id);
    Result<bool> exists(const std::string& id);
    // Another row than except_id is named name.
    Result<bool> name_taken(const std::string& name, const std::string& except_id);
    // What refers to the row: live load balancers (flavor, zone) or flavors / zones (profiles).
    Result<bool> in_use(const std::string& id);
    // A filtered, sorted page: where, order_by and limit as api/list_query.h builds them over
    // the columns id, created_at and json_extract(attrs, ...).
    Result<std::vector<CatalogRow>> list(const std::string& where, const std::string& order_by,
                                         int64_t limit, const std::vector<Value>& params);
    Result<void> insert(const CatalogRow& row);
    Result<void> set_attrs(const std::string& id, const nlohmann::json& attrs);
    Result<void> remove(const std::string& id);

    // The attrs of the profile a flavor names; nullopt when the flavor or its profile is gone.
    static Result<std::optional<nlohmann::json>> profile_of_flavor(Database& db,
                                                                   const std::string& flavor_id);

  private:
    std::string table() const;
    Database& db_;
    CatalogTable table_;
};

}  // namespace octane::db
