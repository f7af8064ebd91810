#include "db/lease_repository.h"

#include "db/result_of.h"

namespace octane::db {
namespace {

constexpr const char* kPendingCondition =
    "lb.provisioning_status IN ('PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE')";

}  // namespace

bool LeaseRepository::locks_candidates() const {
    return db_.dialect() == Dialect::kPostgres;
}

Result<int64_t> LeaseRepository::count_pending() {
    auto rows =
        db_.query(std::string("SELECT COUNT(*) FROM load_balancers lb WHERE ") + kPendingCondition);
    if (!rows) {
        return Unexpected(rows.error());
    }
    return rows->empty() ? 0 : (*rows)[0].integer(0);
}

Result<std::vector<PendingLoadBalancer>> LeaseRepository::pending_candidates() {
    // PostgreSQL: another worker's locked candidates are skipped, so workers claim side by side
    // without the writers' lock. SQLite: one writer at a time anyway.
    const char* lock_rows = locks_candidates() ? " FOR UPDATE OF lb SKIP LOCKED" : "";
    auto rows = db_.query(
        std::string("SELECT lb.id, l.owner, l.expires_ms FROM load_balancers lb LEFT JOIN "
                    "work_leases l ON l.load_balancer_id = lb.id WHERE ") +
        kPendingCondition + " ORDER BY COALESCE(lb.updated_at, lb.created_at), lb.id" + lock_rows);
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<PendingLoadBalancer> out;
    for (const auto& row : *rows) {
        PendingLoadBalancer pending{row.text(0), std::nullopt};
        if (!row.is_null(1)) {
            pending.lease = LeaseRow{row.text(1), row.integer(2)};
        }
        out.push_back(std::move(pending));
    }
    return out;
}

Result<std::optional<LeaseRow>> LeaseRepository::lease(const std::string& lb_id) {
    auto rows =
        db_.query("SELECT owner, expires_ms FROM work_leases WHERE load_balancer_id = ?", {lb_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<LeaseRow>();
    }
    return std::optional<LeaseRow>(LeaseRow{rows->front().text(0), rows->front().integer(1)});
}

Result<void> LeaseRepository::take(const std::string& lb_id, const std::string& owner,
                                   int64_t expires_ms) {
    return done(
        db_.exec("INSERT INTO work_leases (load_balancer_id, owner, expires_ms) VALUES (?, ?, ?)"
                 " ON CONFLICT (load_balancer_id) DO UPDATE SET owner = excluded.owner,"
                 " expires_ms = excluded.expires_ms",
                 {lb_id, owner, expires_ms}));
}

Result<void> LeaseRepository::release(const std::string& lb_id, const std::string& owner) {
    return done(db_.exec("DELETE FROM work_leases WHERE load_balancer_id = ? AND owner = ?",
                         {lb_id, owner}));
}

}  // namespace octane::db
