#include "db/amphora_health_repository.h"

#include "db/result_of.h"

namespace octane::db {

Result<std::optional<int64_t>> AmphoraHealthRepository::stored_seq(const std::string& amphora_id) {
    auto rows = db_.query("SELECT seq FROM amphora_health WHERE amphora_id = ?", {amphora_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty() || rows->front().is_null(0)) {
        return std::optional<int64_t>();
    }
    return std::optional<int64_t>(rows->front().integer(0));
}

Result<void> AmphoraHealthRepository::record_heartbeat(const std::string& amphora_id, int64_t seq,
                                                       std::optional<int64_t> seen_ms) {
    std::vector<Value> params{amphora_id};
    if (seen_ms) {
        params.emplace_back(*seen_ms);
    } else {
        params.emplace_back(nullptr);
    }
    params.emplace_back(seq);
    return done(db_.exec(
        "INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy) VALUES (?, ?, ?, 0)"
        " ON CONFLICT (amphora_id) DO UPDATE SET last_seen_ms ="
        " COALESCE(excluded.last_seen_ms, amphora_health.last_seen_ms), seq = excluded.seq,"
        " busy = 0",
        params));
}

Result<void> AmphoraHealthRepository::mark_busy(const std::string& amphora_id) {
    return done(
        db_.exec("INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy)"
                 " VALUES (?, NULL, NULL, 1) ON CONFLICT (amphora_id) DO UPDATE SET busy = 1",
                 {amphora_id}));
}

Result<void> AmphoraHealthRepository::sweep_deleted() {
    return done(
        db_.exec("DELETE FROM amphora_health WHERE amphora_id NOT IN"
                 " (SELECT id FROM amphorae WHERE status != 'DELETED')"));
}

}  // namespace octane::db
