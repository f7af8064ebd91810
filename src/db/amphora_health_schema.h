#pragma once

// The health manager's own table, created by its own idempotent migration (run at every daemon
// start that hosts a health manager), so the control plane's schema.cc stays untouched:
//
//   amphora_health(amphora_id PK, last_seen_ms, seq, busy)
//
// last_seen_ms: wall-clock unix ms of the last heartbeat that refreshed liveness (NULL: none yet;
// the row then only carries seq or busy). seq: the last accepted sequence number, which seeds the
// replay guard after a restart. busy: 1 once a failover was requested for this amphora, so the
// check does not ask twice; a heartbeat from it clears it (it is alive after all).

#include "db/database.h"

namespace octane::db {

Result<void> migrate_amphora_health(Database& db);

}  // namespace octane::db
