#include "controller/health/failover_check.h"

#include <map>

#include "controller/health/stale_amphorae.h"
#include "controller/health/timestamps.h"
#include "db/amphora_health_repository.h"
#include "db/amphora_repository.h"
#include "db/amphora_stats_repository.h"
#include "db/failover_request_repository.h"
#include "db/object_store.h"
#include "model/statuses.h"

namespace octane::controller::health {
namespace {

using std::chrono::system_clock;

// Candidates: ALLOCATED amphorae of ACTIVE load balancers, with their last sign of life.
Result<std::vector<AmphoraHealthRow>> candidates(db::Database& db,
                                                 const FailoverCheckOptions& options,
                                                 std::map<std::string, std::string>& lb_of) {
    auto rows = db::AmphoraRepository(db).failover_candidates();
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<AmphoraHealthRow> out;
    for (const db::FailoverCandidate& row : *rows) {
        std::optional<system_clock::time_point> last;
        if (row.last_seen_ms) {
            last = system_clock::time_point(std::chrono::milliseconds(*row.last_seen_ms));
        } else if (options.fail_over_never_seen) {
            last = parse_timestamp(row.changed_at);
        }
        if (!last) {
            continue;  // never reported, and those are not watched (or no readable creation time)
        }
        lb_of[row.amphora_id] = row.load_balancer_id;
        out.push_back(
            {row.amphora_id, std::max(*last, options.watch_started), row.busy, model::kAllocated});
    }
    return out;
}

}  // namespace

Result<std::vector<FailoverRequest>> FailoverCheck::run_once() {
    if (auto swept = db::AmphoraHealthRepository(db_).sweep_deleted(); !swept) {
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
    auto found = db::AmphoraRepository(db_).get(amphora_id);
    if (!found) {
        return Unexpected(found.error());
    }
    using Requested = std::optional<FailoverRequest>;
    if (!*found || !(*found)->load_balancer_id) {
        return Requested();
    }
    FailoverRequest request{amphora_id, *(*found)->load_balancer_id};
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
        auto still =
            db::AmphoraRepository(db_).may_fail_over(request.amphora_id, request.load_balancer_id);
        if (!still) {
            return Unexpected(still.error());
        }
        if (!*still) {
            return {};  // the API or the worker got there first, or it reported meanwhile
        }
        db::ObjectStore store(db_);
        if (auto set = store.set_provisioning_status(
                model::Kind::kLoadBalancer, request.load_balancer_id, model::kPendingUpdate, now);
            !set) {
            return set;
        }
        if (auto r = db::FailoverRequestRepository(db_).request_amphora(request.load_balancer_id,
                                                                        request.amphora_id);
            !r) {
            return r;
        }
        if (auto r = db::AmphoraStatsRepository(db_).zero_active_connections(request.amphora_id);
            !r) {
            return r;
        }
        if (auto r = db::AmphoraHealthRepository(db_).mark_busy(request.amphora_id); !r) {
            return r;
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
