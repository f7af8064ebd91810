#include "controller/health/heartbeat_store.h"

#include "common/clock.h"
#include "controller/health/load_balancer_view.h"
#include "controller/health/status_rollup.h"
#include "db/object_store.h"

namespace octane::controller::health {
namespace {

using model::Kind;

Result<void> failed(const Error& error) {
    return Unexpected(error);
}

Result<void> write_statuses(db::ObjectStore& store, const std::string& lb_id,
                            const RollupResult& result) {
    const std::pair<Kind, const std::vector<StatusChange>*> groups[] = {
        {Kind::kMember, &result.members},
        {Kind::kPool, &result.pools},
        {Kind::kListener, &result.listeners}};
    for (const auto& [kind, changes] : groups) {
        for (const StatusChange& change : *changes) {
            if (auto done = store.set_operating_status(kind, change.id, change.operating_status);
                !done) {
                return done;
            }
        }
    }
    if (result.load_balancer) {
        return store.set_operating_status(Kind::kLoadBalancer, lb_id, *result.load_balancer);
    }
    return {};
}

// Portable upsert (no engine-specific syntax, db/database.h): update, insert when nothing was.
Result<void> write_stats(db::Database& db, const std::string& amphora_id, const std::string& lb_id,
                         const ListenerStatsDelta& d) {
    const char* update =
        d.absolute ? "UPDATE amphora_stats SET bytes_in = ?, bytes_out = ?, active_connections = ?,"
                     " total_connections = ?, request_errors = ?, load_balancer_id = ?"
                     " WHERE amphora_id = ? AND listener_id = ?"
                   : "UPDATE amphora_stats SET bytes_in = bytes_in + ?, bytes_out = bytes_out + ?,"
                     " active_connections = ?, total_connections = total_connections + ?,"
                     " request_errors = request_errors + ?, load_balancer_id = ?"
                     " WHERE amphora_id = ? AND listener_id = ?";
    auto changed =
        db.exec(update, {d.bytes_in, d.bytes_out, d.active_connections, d.total_connections,
                         d.request_errors, lb_id, amphora_id, d.listener_id});
    if (!changed) {
        return failed(changed.error());
    }
    if (*changed > 0) {
        return {};
    }
    auto inserted = db.exec(
        "INSERT INTO amphora_stats (amphora_id, listener_id, load_balancer_id, bytes_in, bytes_out,"
        " active_connections, total_connections, request_errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {amphora_id, d.listener_id, lb_id, d.bytes_in, d.bytes_out, d.active_connections,
         d.total_connections, d.request_errors});
    return inserted ? Result<void>() : failed(inserted.error());
}

// Records seq, clears busy (the amphora is alive), and refreshes last_seen_ms when the roll-up
// says the report is complete enough to count as a sign of life. The same statement updates or
// inserts: last_seen_ms is kept from the old row (or NULL) unless refreshed.
Result<void> write_liveness(db::Database& db, const wire::Heartbeat& hb, bool refresh,
                            int64_t now_ms) {
    auto previous =
        db.query("SELECT last_seen_ms FROM amphora_health WHERE amphora_id = ?", {hb.amphora_id});
    if (!previous) {
        return failed(previous.error());
    }
    std::vector<db::Value> params{hb.amphora_id};
    if (refresh) {
        params.emplace_back(now_ms);
    } else if (!previous->empty() && !previous->front().is_null(0)) {
        params.emplace_back(previous->front().integer(0));
    } else {
        params.emplace_back(nullptr);
    }
    params.emplace_back(hb.seq);
    auto removed = db.exec("DELETE FROM amphora_health WHERE amphora_id = ?", {hb.amphora_id});
    if (!removed) {
        return failed(removed.error());
    }
    auto inserted = db.exec(
        "INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy) VALUES (?, ?, ?, 0)",
        params);
    return inserted ? Result<void>() : failed(inserted.error());
}

bool inactive(const std::optional<LoadBalancerState>& lb) {
    return !lb || lb->provisioning_status == "DELETED" ||
           lb->provisioning_status == "PENDING_DELETE";
}

}  // namespace

Result<std::optional<int64_t>> HeartbeatStore::stored_seq(const std::string& amphora_id) {
    auto rows = db_.query("SELECT seq FROM amphora_health WHERE amphora_id = ?", {amphora_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty() || rows->front().is_null(0)) {
        return std::optional<int64_t>();
    }
    return std::optional<int64_t>(rows->front().integer(0));
}

Result<ApplyOutcome> HeartbeatStore::apply(const wire::Heartbeat& hb,
                                           std::chrono::system_clock::time_point now) {
    ApplyOutcome outcome = ApplyOutcome::kApplied;
    auto done = db_.transaction([&]() -> Result<void> {
        auto view = load_amphora_view(db_, hb.amphora_id);
        if (!view) {
            return failed(view.error());
        }
        if (!*view || (*view)->status == "DELETED") {
            outcome = ApplyOutcome::kUnknownAmphora;
            return {};
        }
        if (inactive((*view)->load_balancer)) {
            outcome = ApplyOutcome::kInactiveLoadBalancer;
            return {};
        }
        const LoadBalancerState& lb = *(*view)->load_balancer;
        RollupResult result = roll_up(lb, hb);
        db::ObjectStore store(db_);
        if (auto written = write_statuses(store, lb.id, result); !written) {
            return written;
        }
        for (const ListenerStatsDelta& delta : result.stats) {
            if (auto written = write_stats(db_, hb.amphora_id, lb.id, delta); !written) {
                return written;
            }
        }
        return write_liveness(db_, hb, result.refresh_liveness, to_unix_millis(now));
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return outcome;
}

}  // namespace octane::controller::health
