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

// The same statements update or insert (no engine-specific upsert): read what is kept, replace.
Result<void> AmphoraHealthRepository::record_heartbeat(const std::string& amphora_id, int64_t seq,
                                                       std::optional<int64_t> seen_ms) {
    auto previous =
        db_.query("SELECT last_seen_ms FROM amphora_health WHERE amphora_id = ?", {amphora_id});
    if (!previous) {
        return Unexpected(previous.error());
    }
    std::vector<Value> params{amphora_id};
    if (seen_ms) {
        params.emplace_back(*seen_ms);
    } else if (!previous->empty() && !previous->front().is_null(0)) {
        params.emplace_back(previous->front().integer(0));
    } else {
        params.emplace_back(nullptr);
    }
    params.emplace_back(seq);
    if (auto removed =
            done(db_.exec("DELETE FROM amphora_health WHERE amphora_id = ?", {amphora_id}));
        !removed) {
        return removed;
    }
    return done(db_.exec(
        "INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy) VALUES (?, ?, ?, 0)",
        params));
}

Result<void> AmphoraHealthRepository::mark_busy(const std::string& amphora_id) {
    if (auto set =
            done(db_.exec("UPDATE amphora_health SET busy = 1 WHERE amphora_id = ?", {amphora_id}));
        !set) {
        return set;
    }
    auto marked = db_.query("SELECT 1 FROM amphora_health WHERE amphora_id = ?", {amphora_id});
    if (!marked) {
        return Unexpected(marked.error());
    }
    if (!marked->empty()) {
        return {};
    }
    return done(
        db_.exec("INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy)"
                 " VALUES (?, NULL, NULL, 1)",
                 {amphora_id}));
}

Result<void> AmphoraHealthRepository::sweep_deleted() {
    return done(
        db_.exec("DELETE FROM amphora_health WHERE amphora_id NOT IN"
                 " (SELECT id FROM amphorae WHERE status != 'DELETED')"));
}

}  // namespace octane::db
