#include "controller/health/health_schema.h"

namespace octane::controller::health {

Result<void> migrate_health_schema(db::Database& db) {
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

}  // namespace octane::controller::health
