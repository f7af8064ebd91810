#include "db/amphora_health_schema.h"

namespace octane::db {

Result<void> migrate_amphora_health(Database& db) {
    return db.transaction([&]() -> Result<void> {
        auto created = db.exec(
            "CREATE TABLE IF NOT EXISTS amphora_health (amphora_id TEXT PRIMARY KEY,"
            " last_seen_ms BIGINT, seq BIGINT, busy BIGINT NOT NULL DEFAULT 0)");
        if (!created) {
            return Unexpected(created.error());
        }
        return {};
    });
}

}  // namespace octane::db
