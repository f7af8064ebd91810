#include "db/catalog_repository.h"

#include "db/result_of.h"

namespace octane::db {

std::string CatalogRepository::table() const {
    switch (table_) {
        case CatalogTable::kFlavors:
            return "flavors";
        case CatalogTable::kFlavorProfiles:
            return "flavor_profiles";
        case CatalogTable::kAvailabilityZones:
            return "availability_zones";
        case CatalogTable::kAvailabilityZoneProfiles:
            return "availability_zone_profiles";
    }
    return "flavors";
}

Result<std::vector<CatalogRow>> CatalogRepository::list(const std::string& where,
                                                        const std::string& order_by, int64_t limit,
                                                        const std::vector<Value>& params) {
    auto rows = db_.query("SELECT id, created_at, attrs FROM " + table() + " WHERE " + where +
                              " ORDER BY " + order_by + " LIMIT " + std::to_string(limit),
                          params);
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<CatalogRow> out;
    for (const auto& row : *rows) {
        out.push_back({row.text(0), row.text(1), nlohmann::json::parse(row.text(2))});
    }
    return out;
}

Result<std::optional<CatalogRow>> CatalogRepository::get(const std::string& id) {
    return first_of(list("id = ?", "id", 1, {id}));
}

Result<bool> CatalogRepository::exists(const std::string& id) {
    return any_row(db_.query("SELECT id FROM " + table() + " WHERE id = ?", {id}));
}

Result<bool> CatalogRepository::name_taken(const std::string& name, const std::string& except_id) {
    return any_row(db_.query(
        "SELECT id FROM " + table() + " WHERE json_extract(attrs, '$.name') = ? AND id != ?",
        {name, except_id}));
}

Result<bool> CatalogRepository::in_use(const std::string& id) {
    const char* sql = "";
    switch (table_) {
        case CatalogTable::kFlavors:
            sql =
                "SELECT id FROM load_balancers WHERE json_extract(attrs, '$.flavor_id') = ? AND "
                "provisioning_status != 'DELETED'";
            break;
        case CatalogTable::kAvailabilityZones:
            sql =
                "SELECT id FROM load_balancers WHERE json_extract(attrs, '$.availability_zone') = "
                "? "
                "AND provisioning_status != 'DELETED'";
            break;
        case CatalogTable::kFlavorProfiles:
            sql = "SELECT id FROM flavors WHERE json_extract(attrs, '$.flavor_profile_id') = ?";
            break;
        case CatalogTable::kAvailabilityZoneProfiles:
            sql =
                "SELECT id FROM availability_zones WHERE "
                "json_extract(attrs, '$.availability_zone_profile_id') = ?";
            break;
    }
    return any_row(db_.query(sql, {id}));
}

Result<void> CatalogRepository::insert(const CatalogRow& row) {
    return done(db_.exec("INSERT INTO " + table() + " (id, created_at, attrs) VALUES (?, ?, ?)",
                         {row.id, row.created_at, row.attrs.dump()}));
}

Result<void> CatalogRepository::set_attrs(const std::string& id, const nlohmann::json& attrs) {
    return done(db_.exec("UPDATE " + table() + " SET attrs = ? WHERE id = ?", {attrs.dump(), id}));
}

Result<void> CatalogRepository::remove(const std::string& id) {
    return done(db_.exec("DELETE FROM " + table() + " WHERE id = ?", {id}));
}

Result<std::optional<nlohmann::json>> CatalogRepository::profile_of_flavor(
    Database& db, const std::string& flavor_id) {
    return first_json(
        db.query("SELECT p.attrs FROM flavors f JOIN flavor_profiles p "
                 "ON p.id = json_extract(f.attrs, '$.flavor_profile_id') WHERE f.id = ?",
                 {flavor_id}));
}

}  // namespace octane::db
