#include "db/open_database.h"

#include "db/postgres_database.h"
#include "db/sqlite_database.h"

namespace octane::db {

Result<ConnectionUrl> parse_connection_url(const std::string& url) {
    const std::string sqlite = "sqlite:///";
    if (url.rfind(sqlite, 0) == 0) {
        std::string path = url.substr(sqlite.size());
        if (path.empty()) {
            return make_error("database connection has no path");
        }
        return ConnectionUrl{Engine::kSqlite, path};
    }
    size_t scheme_end = url.find("://");
    std::string scheme = url.substr(0, scheme_end == std::string::npos ? 0 : scheme_end);
    std::string base = scheme.substr(0, scheme.find('+'));
    if (scheme_end != std::string::npos && (base == "postgresql" || base == "postgres")) {
        return ConnectionUrl{Engine::kPostgres, "postgresql" + url.substr(scheme_end)};
    }
    return make_error("database connection '" + url +
                      "' is not supported (supported: sqlite:///path, postgresql://...)");
}

Result<std::unique_ptr<Database>> open_database(const ConnectionUrl& url) {
    if (url.engine == Engine::kPostgres) {
        auto opened = PostgresDatabase::open(url.target, url.max_pool_size);
        if (!opened) {
            return Unexpected(opened.error());
        }
        return std::unique_ptr<Database>(std::move(*opened));
    }
    auto opened = SqliteDatabase::open(url.target);
    if (!opened) {
        return Unexpected(opened.error());
    }
    return std::unique_ptr<Database>(std::move(*opened));
}

}  // namespace octane::db
