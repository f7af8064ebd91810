#pragma once

// The identity tables (projects, users, roles, role assignments, tokens). Idempotent: called on
// every start after db::migrate, independent of the load-balancer schema version.

#include "db/database.h"

namespace octane::identity {

Result<void> migrate_identity(db::Database& db);

}  // namespace octane::identity
