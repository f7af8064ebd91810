#include "keymanager/keymanager_schema.h"

namespace octane::keymanager {

Result<void> migrate_keymanager(db::Database& db) {
    static const char* const kStatements[] = {
        "CREATE TABLE IF NOT EXISTS km_secrets (id TEXT PRIMARY KEY, project_id TEXT NOT NULL,"
        " creator_id TEXT NOT NULL, name TEXT NOT NULL, secret_type TEXT NOT NULL, algorithm"
        " TEXT, bit_length BIGINT, mode TEXT, expiration TEXT, content_type TEXT, sealed TEXT,"
        " created TEXT NOT NULL, updated TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS km_secrets_project ON km_secrets (project_id)",
        "CREATE TABLE IF NOT EXISTS km_containers (id TEXT PRIMARY KEY, project_id TEXT NOT NULL,"
        " creator_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, secret_refs TEXT NOT"
        " NULL, created TEXT NOT NULL, updated TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS km_containers_project ON km_containers (project_id)",
        "CREATE TABLE IF NOT EXISTS km_acls (entity_id TEXT PRIMARY KEY, project_access BIGINT"
        " NOT NULL, users TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL)",
    };
    return db.transaction([&]() -> Result<void> {
        for (const char* statement : kStatements) {
            if (auto done = db.exec(statement, {}); !done) {
                return Unexpected(done.error());
            }
        }
        return {};
    });
}

}  // namespace octane::keymanager
