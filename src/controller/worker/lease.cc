#include "controller/worker/lease.h"

#include <cerrno>

#include <signal.h>
#include <unistd.h>

#include "common/strings.h"
#include "common/uuid.h"
#include "db/lease_repository.h"

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

Result<int64_t> count_pending_load_balancers(db::Database& db) {
    return db::LeaseRepository(db).count_pending();
}

Result<std::optional<std::string>> LeaseTable::claim(int64_t now_ms) {
    std::optional<std::string> claimed;
    db::LeaseRepository leases(db_);
    auto free = [&](const std::optional<db::LeaseRow>& lease) {
        return !lease || lease->expires_ms < now_ms || owner_is_gone(lease->owner);
    };
    auto done = db_.row_locked_transaction([&]() -> Result<void> {
        auto candidates = leases.pending_candidates();
        if (!candidates) {
            return Unexpected(candidates.error());
        }
        for (const auto& candidate : *candidates) {
            if (!free(candidate.lease)) {
                continue;
            }
            if (leases.locks_candidates()) {
                // The query's snapshot may predate a claim that the worker holding this row's
                // lock a moment ago committed; now that the lock is ours, the lease as it is.
                auto current = leases.lease(candidate.id);
                if (!current) {
                    return Unexpected(current.error());
                }
                if (!free(*current)) {
                    continue;
                }
            }
            if (auto taken = leases.take(candidate.id, owner_.text(), now_ms + lease_ms_); !taken) {
                return taken;
            }
            claimed = candidate.id;
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
    auto lease = db::LeaseRepository(db_).lease(lb_id);
    if (!lease) {
        return Unexpected(lease.error());
    }
    return *lease && (*lease)->owner == owner_.text();
}

Result<void> LeaseTable::release(const std::string& lb_id) {
    return db::LeaseRepository(db_).release(lb_id, owner_.text());
}

}  // namespace octane::controller
