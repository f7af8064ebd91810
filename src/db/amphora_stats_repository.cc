#include "db/amphora_stats_repository.h"

#include "db/result_of.h"

namespace octane::db {

// Portable upsert (no engine-specific syntax, db/database.h): update, insert when nothing was.
Result<void> AmphoraStatsRepository::record(const std::string& amphora_id, const ListenerStats& d,
                                            bool absolute) {
    const char* update =
        absolute ? "UPDATE amphora_stats SET bytes_in = ?, bytes_out = ?, active_connections = ?,"
                   " total_connections = ?, request_errors = ?, load_balancer_id = ?"
                   " WHERE amphora_id = ? AND listener_id = ?"
                 : "UPDATE amphora_stats SET bytes_in = bytes_in + ?, bytes_out = bytes_out + ?,"
                   " active_connections = ?, total_connections = total_connections + ?,"
                   " request_errors = request_errors + ?, load_balancer_id = ?"
                   " WHERE amphora_id = ? AND listener_id = ?";
    auto changed =
        db_.exec(update, {d.bytes_in, d.bytes_out, d.active_connections, d.total_connections,
                          d.request_errors, d.load_balancer_id, amphora_id, d.listener_id});
    if (!changed) {
        return Unexpected(changed.error());
    }
    if (*changed > 0) {
        return {};
    }
    return done(db_.exec(
        "INSERT INTO amphora_stats (amphora_id, listener_id, load_balancer_id, bytes_in, bytes_out,"
        " active_connections, total_connections, request_errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {amphora_id, d.listener_id, d.load_balancer_id, d.bytes_in, d.bytes_out,
         d.active_connections, d.total_connections, d.request_errors}));
}

Result<std::vector<ListenerStats>> AmphoraStatsRepository::of_amphora(
    const std::string& amphora_id) {
    auto rows = db_.query(
        "SELECT listener_id, load_balancer_id, active_connections, bytes_in, bytes_out, "
        "request_errors, total_connections FROM amphora_stats WHERE amphora_id = ?",
        {amphora_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<ListenerStats> out;
    for (const auto& r : *rows) {
        out.push_back({r.text(0), r.text(1), r.integer(3), r.integer(4), r.integer(2), r.integer(6),
                       r.integer(5)});
    }
    return out;
}

Result<ListenerStats> AmphoraStatsRepository::total_where(const char* column,
                                                          const std::string& id) {
    auto rows = db_.query(
        std::string("SELECT COALESCE(SUM(bytes_in), 0), COALESCE(SUM(bytes_out), 0), "
                    "COALESCE(SUM(active_connections), 0), COALESCE(SUM(total_connections), 0), "
                    "COALESCE(SUM(request_errors), 0) FROM amphora_stats WHERE ") +
            column + " = ?",
        {id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    const auto& r = rows->front();
    return ListenerStats{"",           "",           r.integer(0), r.integer(1),
                         r.integer(2), r.integer(3), r.integer(4)};
}

Result<ListenerStats> AmphoraStatsRepository::total_of_load_balancer(const std::string& lb_id) {
    return total_where("load_balancer_id", lb_id);
}

Result<ListenerStats> AmphoraStatsRepository::total_of_listener(const std::string& listener_id) {
    return total_where("listener_id", listener_id);
}

Result<void> AmphoraStatsRepository::zero_active_connections(const std::string& amphora_id) {
    return done(db_.exec("UPDATE amphora_stats SET active_connections = 0 WHERE amphora_id = ?",
                         {amphora_id}));
}

Result<void> AmphoraStatsRepository::remove_of_load_balancer(const std::string& lb_id) {
    return done(db_.exec("DELETE FROM amphora_stats WHERE load_balancer_id = ?", {lb_id}));
}

}  // namespace octane::db
