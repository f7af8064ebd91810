#pragma once

// Applies one verified heartbeat to the database, in one transaction: the operating statuses the
// roll-up changed (status_rollup.h), the listener statistics for (listener, amphora), and the
// amphora's liveness row (db/amphora_health_schema.h). Heartbeats from amphorae we do not know (no
// row, or DELETED) or whose load balancer is gone (missing, DELETED, PENDING_DELETE) change
// nothing.

#include <chrono>
#include <optional>
#include <string>

#include "db/database.h"
#include "wire/heartbeat.h"

namespace octane::controller::health {

enum class ApplyOutcome { kApplied, kUnknownAmphora, kInactiveLoadBalancer };

class HeartbeatStore {
  public:
    explicit HeartbeatStore(db::Database& db) : db_(db) {}

    // The last accepted seq of an amphora, as recorded (nullopt: none recorded).
    Result<std::optional<int64_t>> stored_seq(const std::string& amphora_id);

    // Writes the effects of heartbeat received at now. Statistics of ver >= 3 messages add to the
    // row (active_connections, a gauge, replaces); ver < 3 counters replace the row.
    Result<ApplyOutcome> apply(const wire::Heartbeat& heartbeat,
                               std::chrono::system_clock::time_point now);

  private:
    db::Database& db_;
};

}  // namespace octane::controller::health
