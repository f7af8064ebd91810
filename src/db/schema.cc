#include "db/schema.h"

#include <string>
#include <vector>

#include "db/sqlite_compat.h"

namespace octane::db {
namespace {

// Objects of a load balancer's tree share one shape: the columns the control plane queries on
// (ownership, parent, statuses, time) plus `attrs`, the remaining API attributes as a JSON object.
// Filters and sorts on attributes use json_extract; lists render by splicing attrs text.
std::string tree_table(const std::string& name) {
    return "CREATE TABLE IF NOT EXISTS " + name +
           " (id TEXT PRIMARY KEY, project_id TEXT, load_balancer_id TEXT, parent_id TEXT,"
           " provisioning_status TEXT NOT NULL, operating_status TEXT NOT NULL,"
           " created_at TEXT NOT NULL, updated_at TEXT, attrs TEXT NOT NULL)";
}

std::vector<std::string> version_1() {
    std::vector<std::string> statements;
    for (const char* table : {"load_balancers", "listeners", "pools", "members", "health_monitors",
                              "l7policies", "l7rules"}) {
        statements.push_back(tree_table(table));
        statements.push_back(std::string("CREATE INDEX IF NOT EXISTS ") + table + "_lb ON " +
                             table + " (load_balancer_id)");
        statements.push_back(std::string("CREATE INDEX IF NOT EXISTS ") + table + "_parent ON " +
                             table + " (parent_id)");
        statements.push_back(std::string("CREATE INDEX IF NOT EXISTS ") + table + "_order ON " +
                             table + " (created_at, id)");
    }
    // Work claims: the worker that owns a load balancer's pending change, until lease_expires
    // (unix ms). A crashed worker's lease runs out and another takes the work over.
    statements.push_back(
        "CREATE TABLE IF NOT EXISTS work_leases (load_balancer_id TEXT PRIMARY KEY,"
        " owner TEXT NOT NULL, expires_ms BIGINT NOT NULL)");
    // Failovers asked for through the API (load balancer or amphora), consumed by the worker.
    statements.push_back(
        "CREATE TABLE IF NOT EXISTS failover_requests (load_balancer_id TEXT PRIMARY KEY,"
        " amphora_id TEXT)");
    statements.push_back(
        "CREATE TABLE IF NOT EXISTS amphorae (id TEXT PRIMARY KEY, load_balancer_id TEXT,"
        " status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT, attrs TEXT NOT NULL)");
    statements.push_back(
        "CREATE TABLE IF NOT EXISTS amphora_stats (amphora_id TEXT NOT NULL, listener_id TEXT"
        " NOT NULL, load_balancer_id TEXT, bytes_in BIGINT NOT NULL DEFAULT 0, bytes_out BIGINT"
        " NOT NULL DEFAULT 0, active_connections BIGINT NOT NULL DEFAULT 0, total_connections"
        " BIGINT NOT NULL DEFAULT 0, request_errors BIGINT NOT NULL DEFAULT 0,"
        " PRIMARY KEY (amphora_id, listener_id))");
    // Catalog objects (flavors, profiles, availability zones) are not part of an LB tree.
    for (const char* table : {"flavors", "flavor_profiles", "availability_zone_profiles"}) {
        statements.push_back(std::string("CREATE TABLE IF NOT EXISTS ") + table +
                             " (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, attrs TEXT NOT "
                             "NULL)");
    }
    statements.push_back(
        "CREATE TABLE IF NOT EXISTS availability_zones (id TEXT PRIMARY KEY, created_at TEXT NOT"
        " NULL, attrs TEXT NOT NULL)");
    statements.push_back(
        "CREATE TABLE IF NOT EXISTS quotas (project_id TEXT PRIMARY KEY, attrs TEXT NOT NULL)");
    return statements;
}

// Octavia's vrrp_group of an ACTIVE_STANDBY load balancer: name, auth type/password, advert_int
// (attrs), shared by its amphorae's keepalived configurations.
std::vector<std::string> version_2() {
    return {
        "CREATE TABLE IF NOT EXISTS vrrp_groups (load_balancer_id TEXT PRIMARY KEY, attrs "
        "TEXT NOT NULL)"};
}

// Simulated compute hosts and their admin state (Neutron's agent admin_state_up): a disabled host
// gets no new amphorae and its amphorae are failed over (compute_hosts.h).
std::vector<std::string> version_3() {
    return {
        "CREATE TABLE IF NOT EXISTS compute_hosts (host TEXT PRIMARY KEY, enabled BIGINT NOT NULL"
        " DEFAULT 1, updated_at TEXT)"};
}

// The SQL functions that give PostgreSQL SQLite's json_extract/json_each (sqlite_compat.h) are
// installed by every migrating transaction; a new definition there needs a version of its own.
std::vector<std::string> version_4() {
    return {};
}

constexpr int64_t kLatest = 4;

// The usual start: a schema already current. Read without the writers' lock: under load on
// PostgreSQL, waiting for it made a process start take up to 30 s for nothing to write.
bool already_current(Database& db) {
    auto rows = db.query("SELECT version FROM schema_version");
    return rows && !rows->empty() && (*rows)[0].integer(0) >= kLatest;
}

}  // namespace

Result<void> migrate(Database& db) {
    if (already_current(db)) {
        return {};
    }
    // One transaction: on PostgreSQL it holds the writers' advisory lock, so processes starting
    // together migrate one after the other.
    return db.transaction([&]() -> Result<void> {
        if (auto compat = install_sqlite_compat(db); !compat) {
            return compat;
        }
        auto created =
            db.exec("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)");
        if (!created) {
            return Unexpected(created.error());
        }
        auto rows = db.query("SELECT version FROM schema_version");
        if (!rows) {
            return Unexpected(rows.error());
        }
        int64_t version = rows->empty() ? 0 : (*rows)[0].integer(0);
        if (version >= kLatest) {
            return {};
        }
        std::vector<std::string> (*steps[])() = {version_1, version_2, version_3, version_4};
        for (int64_t step = version; step < kLatest; ++step) {
            for (const auto& statement : steps[step]()) {
                auto done = db.exec(statement);
                if (!done) {
                    return Unexpected(done.error());
                }
            }
        }
        auto stamped = db.exec(rows->empty() ? "INSERT INTO schema_version VALUES (?)"
                                             : "UPDATE schema_version SET version = ?",
                               {kLatest});
        if (!stamped) {
            return Unexpected(stamped.error());
        }
        return {};
    });
}

}  // namespace octane::db
