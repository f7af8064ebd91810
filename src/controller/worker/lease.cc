#include "controller/worker/lease.h"

#include <cerrno>

#include <signal.h>
#include <unistd.h>

#include "common/strings.h"
#include "common/uuid.h"

namespace octane::controller {

LeaseOwner LeaseOwner::current() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return LeaseOwner{host, static_cast<int64_t>(getpid()), make_uuid().substr(0, 8)};
}

bool LeaseTable::owner_is_gone(const std::string& owner_text) const {
    auto parts = split(owner_text, ':');
    if (parts.size() != 3 || parts[0] != owner_.host) {
        return false;
    }
    if (parts[1] == std::to_string(owner_.pid)) {
        // Same pid but another nonce: an earlier incarnation of this very process id.
        return parts[2] != owner_.nonce;
    }
    pid_t pid = static_cast<pid_t>(std::stoll(parts[1]));
    return kill(pid, 0) == -1 && errno == ESRCH;
}

namespace {
constexpr const char* kPendingCondition =
    "lb.provisioning_status IN ('PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE')";
}  // namespace

Result<int64_t> count_pending_load_balancers(db::Database& db) {
    auto rows =
        db.query(std::string("SELECT COUNT(*) FROM load_balancers lb WHERE ") + kPendingCondition);
    if (!rows) {
        return Unexpected(rows.error());
    }
    return rows->empty() ? 0 : (*rows)[0].integer(0);
}

Result<std::optional<std::string>> LeaseTable::claim(int64_t now_ms) {
    std::optional<std::string> claimed;
    // PostgreSQL: the candidates are row-locked and another worker's locked ones skipped, so
    // workers claim side by side without the writers' lock. SQLite: one writer at a time anyway.
    const char* lock_rows =
        db_.dialect() == db::Dialect::kPostgres ? " FOR UPDATE OF lb SKIP LOCKED" : "";
    auto done = db_.row_locked_transaction([&]() -> Result<void> {
        auto rows = db_.query(
            std::string("SELECT lb.id, l.owner, l.expires_ms FROM load_balancers lb LEFT JOIN "
                        "work_leases l ON l.load_balancer_id = lb.id WHERE ") +
            kPendingCondition + " ORDER BY COALESCE(lb.updated_at, lb.created_at), lb.id" +
            lock_rows);
        if (!rows) {
            return Unexpected(rows.error());
        }
        auto free = [&](const db::Row& row, size_t owner, size_t expires) {
            return row.is_null(owner) || row.integer(expires) < now_ms ||
                   owner_is_gone(row.text(owner));
        };
        for (const auto& row : *rows) {
            if (!free(row, 1, 2)) {
                continue;
            }
            if (*lock_rows != '\0') {
                // The query's snapshot may predate a claim that the worker holding this row's
                // lock a moment ago committed; now that the lock is ours, the lease as it is.
                auto current = db_.query(
                    "SELECT owner, expires_ms FROM work_leases WHERE load_balancer_id = ?",
                    {row.text(0)});
                if (!current) {
                    return Unexpected(current.error());
                }
                if (!current->empty() && !free(current->front(), 0, 1)) {
                    continue;
                }
            }
            auto taken = db_.exec(
                "INSERT INTO work_leases (load_balancer_id, owner, expires_ms) VALUES (?, ?, ?)"
                " ON CONFLICT (load_balancer_id) DO UPDATE SET owner = excluded.owner,"
                " expires_ms = excluded.expires_ms",
                {row.text(0), owner_.text(), now_ms + lease_ms_});
            if (!taken) {
                return Unexpected(taken.error());
            }
            claimed = row.text(0);
            return {};
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return claimed;
}

Result<bool> LeaseTable::holds(const std::string& lb_id) {
    auto rows = db_.query("SELECT owner FROM work_leases WHERE load_balancer_id = ?", {lb_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    return !rows->empty() && rows->front().text(0) == owner_.text();
}

Result<void> LeaseTable::release(const std::string& lb_id) {
    auto done = db_.exec("DELETE FROM work_leases WHERE load_balancer_id = ? AND owner = ?",
                         {lb_id, owner_.text()});
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

}  // namespace octane::controller
