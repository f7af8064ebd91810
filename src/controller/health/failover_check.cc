#include "controller/health/failover_check.h"

#include <map>

#include "controller/health/stale_amphorae.h"
#include "controller/health/timestamps.h"
#include "db/object_store.h"
#include "model/statuses.h"

namespace octane::controller::health {
namespace {

using std::chrono::system_clock;

Result<void> run(Result<int64_t> done) {
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

// Candidates: ALLOCATED amphorae of ACTIVE load balancers, with their last sign of life.
Result<std::vector<AmphoraHealthRow>> candidates(db::Database& db,
                                                 const FailoverCheckOptions& options,
                                                 std::map<std::string, std::string>& lb_of) {
    auto rows = db.query(
        "SELECT a.id, a.load_balancer_id, COALESCE(a.updated_at, a.created_at), h.last_seen_ms,"
        " COALESCE(h.busy, 0) FROM amphorae a JOIN load_balancers lb ON lb.id ="
        " a.load_balancer_id LEFT JOIN amphora_health h ON h.amphora_id = a.id"
        " WHERE a.status = 'ALLOCATED' AND lb.provisioning_status = 'ACTIVE' ORDER BY a.id");
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<AmphoraHealthRow> out;
    for (const db::Row& row : *rows) {
        std::optional<system_clock::time_point> last;
        if (!row.is_null(3)) {
            last = system_clock::time_point(std::chrono::milliseconds(row.integer(3)));
        } else if (options.fail_over_never_seen) {
            last = parse_timestamp(row.text(2));
        }
        if (!last) {
            continue;  // never reported, and those are not watched (or no readable creation time)
        }
        lb_of[row.text(0)] = row.text(1);
        out.push_back({row.text(0), std::max(*last, options.watch_started), row.integer(4) != 0,
                       model::kAllocated});
    }
    return out;
}

}  // namespace

Result<std::vector<FailoverRequest>> FailoverCheck::run_once() {
    auto swept =
        run(db_.exec("DELETE FROM amphora_health WHERE amphora_id NOT IN"
                     " (SELECT id FROM amphorae WHERE status != 'DELETED')"));
    if (!swept) {
        return Unexpected(swept.error());
    }
    std::map<std::string, std::string> lb_of;
    auto rows = candidates(db_, options_, lb_of);
    if (!rows) {
        return Unexpected(rows.error());
    }
    StaleDecision decision =
        decide_stale(*rows, clock_.now(), options_.heartbeat_timeout, std::nullopt);
    std::vector<FailoverRequest> requested;
    for (const std::string& amphora_id : decision.failover) {
        FailoverRequest request{amphora_id, lb_of[amphora_id]};
        auto done = request_failover(request);
        if (!done) {
            return Unexpected(done.error());
        }
        if (*done) {
            requested.push_back(std::move(request));
        }
    }
    return requested;
}

Result<std::optional<FailoverRequest>> FailoverCheck::request_failover_of(
    const std::string& amphora_id) {
    auto rows = db_.query(
        "SELECT load_balancer_id FROM amphorae WHERE id = ? AND load_balancer_id IS NOT NULL",
        {amphora_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    using Requested = std::optional<FailoverRequest>;
    if (rows->empty()) {
        return Requested();
    }
    FailoverRequest request{amphora_id, rows->front().text(0)};
    auto done = request_failover(request);
    if (!done) {
        return Unexpected(done.error());
    }
    return *done ? Requested(std::move(request)) : Requested();
}

Result<bool> FailoverCheck::request_failover(const FailoverRequest& request) {
    bool requested = false;
    std::string now = format_timestamp(clock_.now());
    auto done = db_.transaction([&]() -> Result<void> {
        auto still = db_.query(
            "SELECT 1 FROM amphorae a JOIN load_balancers lb ON lb.id = a.load_balancer_id"
            " WHERE a.id = ? AND a.status = 'ALLOCATED' AND lb.id = ? AND"
            " lb.provisioning_status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM amphora_health h"
            " WHERE h.amphora_id = a.id AND h.busy != 0)",
            {request.amphora_id, request.load_balancer_id});
        if (!still) {
            return Unexpected(still.error());
        }
        if (still->empty()) {
            return {};  // the API or the worker got there first, or it reported meanwhile
        }
        db::ObjectStore store(db_);
        if (auto set = store.set_provisioning_status(
                model::Kind::kLoadBalancer, request.load_balancer_id, model::kPendingUpdate, now);
            !set) {
            return set;
        }
        const std::pair<const char*, std::vector<db::Value>> statements[] = {
            {"DELETE FROM failover_requests WHERE load_balancer_id = ?",
             {request.load_balancer_id}},
            {"INSERT INTO failover_requests (load_balancer_id, amphora_id) VALUES (?, ?)",
             {request.load_balancer_id, request.amphora_id}},
            // A dead amphora serves no connections; its gauge must not linger in /stats.
            {"UPDATE amphora_stats SET active_connections = 0 WHERE amphora_id = ?",
             {request.amphora_id}},
            {"UPDATE amphora_health SET busy = 1 WHERE amphora_id = ?", {request.amphora_id}},
        };
        for (const auto& [sql, params] : statements) {
            if (auto r = run(db_.exec(sql, params)); !r) {
                return r;
            }
        }
        auto marked =
            db_.query("SELECT 1 FROM amphora_health WHERE amphora_id = ?", {request.amphora_id});
        if (!marked) {
            return Unexpected(marked.error());
        }
        if (marked->empty()) {
            if (auto r =
                    run(db_.exec("INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy)"
                                 " VALUES (?, NULL, NULL, 1)",
                                 {request.amphora_id}));
                !r) {
                return r;
            }
        }
        requested = true;
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return requested;
}

}  // namespace octane::controller::health
