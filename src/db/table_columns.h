#pragma once

#include <string>
#include <vector>

#include "db/database.h"

namespace octane::db {

// The column names of a table, for migrations that add a column to databases made before it
// existed (SQLite's pragma_table_info, PostgreSQL's information_schema).
Result<std::vector<std::string>> table_columns(Database& db, const std::string& table);

}  // namespace octane::db
