#include "db/vrrp_group_repository.h"

#include "db/result_of.h"

namespace octane::db {

Result<std::optional<nlohmann::json>> VrrpGroupRepository::get(const std::string& lb_id) {
    auto rows = db_.query("SELECT attrs FROM vrrp_groups WHERE load_balancer_id = ?", {lb_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<nlohmann::json>();
    }
    return std::optional<nlohmann::json>(nlohmann::json::parse(rows->front().text(0)));
}

Result<void> VrrpGroupRepository::insert_if_absent(const std::string& lb_id,
                                                   const nlohmann::json& group) {
    return done(
        db_.exec("INSERT INTO vrrp_groups (load_balancer_id, attrs) VALUES (?, ?) "
                 "ON CONFLICT (load_balancer_id) DO NOTHING",
                 {lb_id, group.dump()}));
}

Result<void> VrrpGroupRepository::remove(const std::string& lb_id) {
    return done(db_.exec("DELETE FROM vrrp_groups WHERE load_balancer_id = ?", {lb_id}));
}

}  // namespace octane::db
