#pragma once

#include "db/database.h"

namespace octane::db {

// On PostgreSQL, defines the SQLite JSON functions the portable SQL uses, with SQLite's results:
// json_extract(text, '$.a.b') gives the scalar as text (numbers as written, true/false as 1/0,
// JSON null as NULL), json_each(text, '$.a') the elements of an array as `value` rows. Nothing to
// do on SQLite. Runs inside the migration's transaction.
Result<void> install_sqlite_compat(Database& db);

}  // namespace octane::db
