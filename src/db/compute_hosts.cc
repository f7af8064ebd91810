#include "db/compute_hosts.h"

#include "db/result_of.h"

namespace octane::db {

Result<void> ComputeHosts::register_hosts(const std::vector<std::string>& hosts,
                                          const std::string& now) {
    return db_.transaction([&]() -> Result<void> {
        for (const auto& host : hosts) {
            auto done = db_.exec(
                "INSERT INTO compute_hosts (host, enabled, updated_at) VALUES (?, 1, ?)"
                " ON CONFLICT (host) DO NOTHING",
                {host, now});
            if (!done) {
                return Unexpected(done.error());
            }
        }
        return {};
    });
}

Result<std::vector<ComputeHost>> ComputeHosts::list() {
    auto rows = db_.query(
        "SELECT h.host, h.enabled, COALESCE(h.updated_at, ''), (SELECT COUNT(*) FROM amphorae a"
        " WHERE a.status = 'ALLOCATED' AND json_extract(a.attrs, '$.cached_zone') = h.host)"
        " FROM compute_hosts h ORDER BY h.host");
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<ComputeHost> out;
    for (const Row& row : *rows) {
        out.push_back(
            {row.text(0), row.integer(1) != 0, row.text(2), static_cast<int>(row.integer(3))});
    }
    return out;
}

Result<bool> ComputeHosts::set_enabled(const std::string& host, bool enabled,
                                       const std::string& now) {
    auto changed = db_.exec("UPDATE compute_hosts SET enabled = ?, updated_at = ? WHERE host = ?",
                            {int64_t{enabled ? 1 : 0}, now, host});
    if (!changed) {
        return Unexpected(changed.error());
    }
    return *changed > 0;
}

Result<std::vector<std::string>> ComputeHosts::disabled() {
    auto rows = db_.query("SELECT host FROM compute_hosts WHERE enabled = 0 ORDER BY host");
    return first_column_texts(rows);
}

Result<std::vector<AmphoraPlacementRow>> ComputeHosts::placements() {
    auto rows = db_.query(
        "SELECT a.id, a.load_balancer_id, COALESCE(json_extract(a.attrs, '$.cached_zone'), ''),"
        " COALESCE(json_extract(a.attrs, '$.role'), ''), lb.provisioning_status FROM amphorae a"
        " JOIN load_balancers lb ON lb.id = a.load_balancer_id WHERE a.status = 'ALLOCATED'"
        " ORDER BY a.created_at, a.id");
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<AmphoraPlacementRow> out;
    for (const Row& row : *rows) {
        out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4)});
    }
    return out;
}

Result<bool> ComputeHosts::failover_in_progress() {
    return any_row(db_.query("SELECT 1 FROM failover_requests LIMIT 1"));
}

}  // namespace octane::db
