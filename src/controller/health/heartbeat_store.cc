#include "controller/health/heartbeat_store.h"

#include "common/clock.h"
#include "controller/health/load_balancer_view.h"
#include "controller/health/status_rollup.h"
#include "db/amphora_health_repository.h"
#include "db/amphora_stats_repository.h"
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

bool inactive(const std::optional<LoadBalancerState>& lb) {
    return !lb || lb->provisioning_status == "DELETED" ||
           lb->provisioning_status == "PENDING_DELETE";
}

}  // namespace

Result<std::optional<int64_t>> HeartbeatStore::stored_seq(const std::string& amphora_id) {
    return db::AmphoraHealthRepository(db_).stored_seq(amphora_id);
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
        db::AmphoraStatsRepository stats(db_);
        for (const ListenerStatsDelta& d : result.stats) {
            db::ListenerStats row{
                d.listener_id,       lb.id,           d.bytes_in, d.bytes_out, d.active_connections,
                d.total_connections, d.request_errors};
            if (auto written = stats.record(hb.amphora_id, row, d.absolute); !written) {
                return written;
            }
        }
        // A report complete enough to count as a sign of life refreshes last_seen_ms.
        std::optional<int64_t> seen;
        if (result.refresh_liveness) {
            seen = to_unix_millis(now);
        }
        return db::AmphoraHealthRepository(db_).record_heartbeat(hb.amphora_id, hb.seq, seen);
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return outcome;
}

}  // namespace octane::controller::health
