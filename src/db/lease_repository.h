#pragma once

// The work_leases table and the queue it guards: load balancers with a pending change
// (PENDING_CREATE/UPDATE/DELETE) and who holds the claim on each. Which lease is free is the
// worker's rule (controller/worker/lease.h); the row locks that let workers claim side by side
// on PostgreSQL (FOR UPDATE SKIP LOCKED) are this repository's, so the dialects differ here only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace octane::db {

struct LeaseRow {
    std::string owner;
    int64_t expires_ms = 0;
};

struct PendingLoadBalancer {
    std::string id;
    std::optional<LeaseRow> lease;
};

class LeaseRepository {
  public:
    explicit LeaseRepository(Database& db) : db_(db) {}

    // True when the candidates come row-locked, so their leases must be read again (lease())
    // before taking one: the locking query's snapshot may predate a claim committed meanwhile.
    bool locks_candidates() const;
    Result<int64_t> count_pending();
    // Pending load balancers, least recently changed first, with their leases. Call inside
    // Database::row_locked_transaction(): on PostgreSQL the rows come locked and rows another
    // worker has locked are skipped.
    Result<std::vector<PendingLoadBalancer>> pending_candidates();
    Result<std::optional<LeaseRow>> lease(const std::string& lb_id);
    // Takes or renews the lease, whoever held it.
    Result<void> take(const std::string& lb_id, const std::string& owner, int64_t expires_ms);
    Result<void> release(const std::string& lb_id, const std::string& owner);

  private:
    Database& db_;
};

}  // namespace octane::db
