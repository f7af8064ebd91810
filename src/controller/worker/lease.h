#pragma once

// Work claims in the database. A worker owns a load balancer's pending change while its lease
// runs; the lease is a row (load_balancer_id, owner, expires_ms), so workers in several processes
// (or on several hosts over PostgreSQL) never work on the same load balancer, and the work of a
// crashed worker is taken over once its lease expires — or at once when the owner was a process
// on this host that no longer exists.

#include <cstdint>
#include <optional>
#include <string>

#include "db/database.h"

namespace octane::controller {

struct LeaseOwner {
    std::string host;
    int64_t pid = 0;
    std::string nonce;

    std::string text() const { return host + ":" + std::to_string(pid) + ":" + nonce; }
    static LeaseOwner current();
};

// Load balancers with a pending change (leased or not): the worker's queue depth.
Result<int64_t> count_pending_load_balancers(db::Database& db);

class LeaseTable {
  public:
    LeaseTable(db::Database& db, LeaseOwner owner, int64_t lease_ms)
        : db_(db), owner_(std::move(owner)), lease_ms_(lease_ms) {}

    // Claims one pending load balancer not leased by a live owner; nullopt when there is none.
    Result<std::optional<std::string>> claim(int64_t now_ms);
    // True while this worker still holds the lease (checked inside the finishing transaction).
    Result<bool> holds(const std::string& lb_id);
    Result<void> release(const std::string& lb_id);

  private:
    bool owner_is_gone(const std::string& owner_text) const;

    db::Database& db_;
    LeaseOwner owner_;
    int64_t lease_ms_;
};

}  // namespace octane::controller
