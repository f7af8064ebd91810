#include "db/amphora_repository.h"

#include "db/result_of.h"

namespace octane::db {
namespace {

using nlohmann::json;

constexpr const char* kColumns = "id, load_balancer_id, status, created_at, updated_at, attrs";

AmphoraRecord from_row(const Row& row) {
    AmphoraRecord a;
    a.id = row.text(0);
    a.load_balancer_id = row.optional_text(1);
    a.status = row.text(2);
    a.created_at = row.text(3);
    a.updated_at = row.optional_text(4);
    a.attrs = json::parse(row.text(5), nullptr, false);
    return a;
}

}  // namespace

bool AmphoraRepository::filterable(const std::string& key) {
    static const char* const kKeys[] = {
        "id",   "status", "loadbalancer_id", "project_id", "compute_id", "lb_network_ip",
        "role", "ha_ip",  "vrrp_ip",         "cert_busy",  "image_id",   "compute_flavor"};
    for (const char* k : kKeys) {
        if (key == k) {
            return true;
        }
    }
    return false;
}

Result<std::vector<AmphoraRecord>> AmphoraRepository::select_where(
    const std::string& where, const std::vector<Value>& params) {
    auto rows =
        db_.query(std::string("SELECT ") + kColumns + " FROM amphorae WHERE " + where, params);
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<AmphoraRecord> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) {
        out.push_back(from_row(row));
    }
    return out;
}

Result<std::optional<AmphoraRecord>> AmphoraRepository::get(const std::string& id) {
    return first_of(select_where("id = ?", {id}));
}

Result<std::optional<AmphoraRecord>> AmphoraRepository::get_live(const std::string& id) {
    return first_of(select_where("id = ? AND status != 'DELETED'", {id}));
}

Result<std::vector<AmphoraRecord>> AmphoraRepository::list_live(
    const std::vector<std::pair<std::string, std::string>>& filters) {
    std::string where = "status != 'DELETED'";
    std::vector<Value> params;
    for (const auto& [key, value] : filters) {
        if (key == "id" || key == "status") {
            where += " AND " + key + " = ?";
        } else if (key == "loadbalancer_id") {
            where += " AND load_balancer_id = ?";
        } else if (key == "project_id") {
            where +=
                " AND load_balancer_id IN (SELECT id FROM load_balancers WHERE project_id = ?)";
        } else if (filterable(key)) {
            where += " AND json_extract(attrs, '$." + key + "') = ?";
        } else {
            return make_error("amphorae cannot be filtered by " + key);
        }
        params.emplace_back(value);
    }
    return select_where(where + " ORDER BY created_at, id", params);
}

Result<std::vector<AmphoraRecord>> AmphoraRepository::live_of_load_balancer(
    const std::string& lb_id) {
    return select_where("load_balancer_id = ? AND status != 'DELETED' ORDER BY created_at, id",
                        {lb_id});
}

Result<std::vector<std::string>> AmphoraRepository::live_ids() {
    auto rows = db_.query("SELECT id FROM amphorae WHERE status != 'DELETED'", {});
    return first_column_texts(rows);
}

Result<std::vector<FailoverCandidate>> AmphoraRepository::failover_candidates() {
    auto rows = db_.query(
        "SELECT a.id, a.load_balancer_id, COALESCE(a.updated_at, a.created_at), h.last_seen_ms,"
        " COALESCE(h.busy, 0) FROM amphorae a JOIN load_balancers lb ON lb.id ="
        " a.load_balancer_id LEFT JOIN amphora_health h ON h.amphora_id = a.id"
        " WHERE a.status = 'ALLOCATED' AND lb.provisioning_status = 'ACTIVE' ORDER BY a.id");
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<FailoverCandidate> out;
    for (const Row& row : *rows) {
        FailoverCandidate c{row.text(0), row.text(1), row.text(2), std::nullopt,
                            row.integer(4) != 0};
        if (!row.is_null(3)) {
            c.last_seen_ms = row.integer(3);
        }
        out.push_back(std::move(c));
    }
    return out;
}

Result<bool> AmphoraRepository::may_fail_over(const std::string& amphora_id,
                                              const std::string& lb_id) {
    return any_row(db_.query(
        "SELECT 1 FROM amphorae a JOIN load_balancers lb ON lb.id = a.load_balancer_id"
        " WHERE a.id = ? AND a.status = 'ALLOCATED' AND lb.id = ? AND"
        " lb.provisioning_status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM amphora_health h"
        " WHERE h.amphora_id = a.id AND h.busy != 0)",
        {amphora_id, lb_id}));
}

Result<void> AmphoraRepository::insert(const AmphoraRecord& a) {
    Value lb = a.load_balancer_id ? Value(*a.load_balancer_id) : Value(nullptr);
    Value updated = a.updated_at ? Value(*a.updated_at) : Value(nullptr);
    return done(db_.exec(
        "INSERT INTO amphorae (id, load_balancer_id, status, created_at, updated_at, attrs) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {a.id, lb, a.status, a.created_at, updated, a.attrs.dump()}));
}

Result<void> AmphoraRepository::set_started(const std::string& id, const std::string& status,
                                            const json& attrs, const std::string& now) {
    return done(db_.exec("UPDATE amphorae SET status = ?, updated_at = ?, attrs = ? WHERE id = ?",
                         {status, now, attrs.dump(), id}));
}

Result<void> AmphoraRepository::set_role(const std::string& id, const std::string& role,
                                         std::optional<int64_t> vrrp_priority,
                                         const std::string& now) {
    // Read, change, write in one transaction: SQLite's json_set has no portable equivalent.
    return db_.transaction([&]() -> Result<void> {
        auto rows = db_.query("SELECT attrs FROM amphorae WHERE id = ?", {id});
        if (!rows) {
            return Unexpected(rows.error());
        }
        if (rows->empty()) {
            return make_error("amphora " + id + " is gone");
        }
        json attrs = json::parse(rows->front().text(0), nullptr, false);
        if (!attrs.is_object()) {
            return make_error("amphora " + id + ": attributes are not a JSON object");
        }
        attrs["role"] = role;
        attrs["vrrp_priority"] = vrrp_priority ? json(*vrrp_priority) : json(nullptr);
        return done(db_.exec("UPDATE amphorae SET attrs = ?, updated_at = ? WHERE id = ?",
                             {attrs.dump(), now, id}));
    });
}

Result<void> AmphoraRepository::mark_deleted(const std::string& id, const std::string& now) {
    return done(
        db_.exec("UPDATE amphorae SET status = 'DELETED', updated_at = ? WHERE id = ?", {now, id}));
}

Result<void> AmphoraRepository::mark_deleted_of_load_balancer(const std::string& lb_id,
                                                              const std::string& now) {
    return done(
        db_.exec("UPDATE amphorae SET status = 'DELETED', updated_at = ? WHERE "
                 "load_balancer_id = ? AND status != 'DELETED'",
                 {now, lb_id}));
}

}  // namespace octane::db
