#pragma once

// Opens the engine a `[database] connection` URL names: sqlite:///path or postgresql://…
// (postgres:// and SQLAlchemy's postgresql+driver:// are read as postgresql://, so an Octavia
// configuration's URL works as written).

#include <cstddef>
#include <memory>
#include <string>

#include "db/database.h"

namespace octane::db {

enum class Engine { kSqlite, kPostgres };

struct ConnectionUrl {
    Engine engine = Engine::kSqlite;
    std::string target;  // the SQLite file path, or the libpq connection URI
    // PostgreSQL sessions per process ([database] max_pool_size); SQLite has one connection.
    size_t max_pool_size = 1;
};

Result<ConnectionUrl> parse_connection_url(const std::string& url);

Result<std::unique_ptr<Database>> open_database(const ConnectionUrl& url);

}  // namespace octane::db
