#pragma once

#include "db/database.h"

namespace octane::db {

// Creates or upgrades the schema to the current version (tracked in the schema_version table).
Result<void> migrate(Database& db);

}  // namespace octane::db
