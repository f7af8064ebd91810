#pragma once

// The health manager's periodic check (docs/amphora.md §3): amphorae silent for
// longer than heartbeat_timeout are failed over. Staleness is decided by stale_amphorae.h; this
// file reads the rows and asks for the failover the way the API does (load_balancers.cc,
// amphorae.cc): in one transaction, the load balancer goes PENDING_UPDATE and a failover_requests
// row names the amphora; the worker then replaces it and sets the load balancer ACTIVE. The
// amphora's health row is marked busy so the next pass does not ask again.
//
// Choices, beyond Octavia:
// - Amphorae that never sent a heartbeat count from their creation (updated_at): an agent that
//   dies before its first heartbeat is healed too (Octavia never considers them). Off when the
//   amphorae have no agent at all (noop driver), else every one of them would be failed over
//   again and again.
// - Nobody is stale before heartbeat_timeout has passed since the health manager started: a
//   controller restarted after a pause gives every amphora one full timeout to report instead of
//   failing them all over at once.
// - Only amphorae in ALLOCATED whose load balancer is ACTIVE are failed over (a load balancer in
//   PENDING_* is being worked on; ERROR waits for an operator).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "db/database.h"

namespace octane::controller::health {

struct FailoverCheckOptions {
    std::chrono::seconds heartbeat_timeout{60};
    bool fail_over_never_seen = true;
    std::chrono::system_clock::time_point watch_started{};
};

struct FailoverRequest {
    std::string amphora_id;
    std::string load_balancer_id;
    bool operator==(const FailoverRequest&) const = default;
};

class FailoverCheck {
  public:
    FailoverCheck(db::Database& db, const Clock& clock, FailoverCheckOptions options)
        : db_(db), clock_(clock), options_(options) {}

    // One pass. Returns the failovers it requested. Also drops health rows of amphorae that are
    // gone (no row, or DELETED).
    Result<std::vector<FailoverRequest>> run_once();

    // The direct path: an amphora seen dead (its local agent exited) is failed over now, on the
    // same terms as a silent one (ALLOCATED, load balancer ACTIVE, not busy). Returns the request,
    // or nothing when those terms do not hold (then the heartbeat timeout remains the path).
    Result<std::optional<FailoverRequest>> request_failover_of(const std::string& amphora_id);

  private:
    // Re-checks under the write lock and requests the failover; false when the state moved on.
    Result<bool> request_failover(const FailoverRequest& request);

    db::Database& db_;
    const Clock& clock_;
    FailoverCheckOptions options_;
};

}  // namespace octane::controller::health
