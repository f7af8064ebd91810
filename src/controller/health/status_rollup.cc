#include "controller/health/status_rollup.h"

#include <map>

namespace octane::controller::health {
namespace {

using PoolReports = std::map<std::string, const wire::PoolReport*, std::less<>>;

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

void record(std::vector<StatusChange>& changes, const std::string& id,
            const std::optional<std::string>& status, const std::string& current) {
    if (status && *status != current) {
        changes.push_back({id, *status});
    }
}

// Keys are "<pool_id>:<listener_id>" (or a bare pool id); a pool shared by several listeners is
// reported once per listener, and the last key in order wins, as in Octavia's dict rebuild.
PoolReports pool_reports(const wire::Heartbeat& hb) {
    PoolReports out;
    for (const auto& [key, report] : hb.pools) {
        out[std::string(wire::pool_id_of(key))] = &report;
    }
    return out;
}

std::optional<std::string> member_status(const std::string& reported) {
    if (starts_with(reported, "UP")) {  // "UP" or transitional "UP 1/3"
        return "ONLINE";
    }
    if (starts_with(reported, "DOWN")) {
        return "ERROR";
    }
    if (reported == "DRAIN") {
        return "DRAINING";
    }
    if (reported == "MAINT") {
        return "OFFLINE";
    }
    if (reported == "no check") {
        return "NO_MONITOR";
    }
    return std::nullopt;  // RESTARTING or unknown: keep the current value
}

void roll_up_pool(const PoolState& pool, const wire::PoolReport& report, std::string& lb_status,
                  RollupResult& out) {
    std::optional<std::string> pool_status;
    if (report.status == "UP") {
        pool_status = "ONLINE";
    } else if (report.status == "DOWN") {
        pool_status = "ERROR";
        lb_status = "ERROR";
    }
    for (const MemberState& m : pool.members) {
        std::optional<std::string> status;
        auto it = report.members.find(m.id);
        if (it == report.members.end()) {
            if (m.operating_status != "NO_MONITOR") {
                status = "OFFLINE";
            }
        } else {
            status = member_status(it->second);
            if (status == "ERROR" && pool_status == "ONLINE") {
                pool_status = "DEGRADED";
                lb_status = lb_status == "ONLINE" ? "DEGRADED" : lb_status;
            }
        }
        record(out.members, m.id, status, m.operating_status);
    }
    record(out.pools, pool.id, pool_status, pool.operating_status);
}

void roll_up_listeners(const LoadBalancerState& view, const wire::Heartbeat& hb,
                       std::string& lb_status, RollupResult& out) {
    for (const ListenerState& l : view.listeners) {
        std::optional<std::string> status;
        auto it = hb.listeners.find(l.id);
        if (it == hb.listeners.end()) {
            // Octavia checks only the listener's admin state; an admin-down LB renders no
            // listeners at all, so we report them OFFLINE too (docs/octavia-api.md §3.3), not
            // ERROR.
            bool expected =
                l.admin_state_up && view.admin_state_up && view.provisioning_status == "ACTIVE";
            status = expected ? "ERROR" : "OFFLINE";
        } else if (it->second.status == "OPEN") {
            status = "ONLINE";
        } else if (it->second.status == "FULL") {
            status = "DEGRADED";
            lb_status = lb_status == "ONLINE" ? "DEGRADED" : lb_status;
        }
        record(out.listeners, l.id, status, l.operating_status);
    }
}

bool liveness(const LoadBalancerState& view, const wire::Heartbeat& hb) {
    if (view.provisioning_status.find("PENDING") != std::string::npos || !view.admin_state_up) {
        return true;
    }
    size_t enabled = 0;
    for (const ListenerState& l : view.listeners) {
        enabled += l.admin_state_up ? 1 : 0;
    }
    return hb.listeners.size() == enabled;
}

std::vector<ListenerStatsDelta> stats(const LoadBalancerState& view, const wire::Heartbeat& hb) {
    std::vector<ListenerStatsDelta> out;
    for (const ListenerState& l : view.listeners) {
        auto it = hb.listeners.find(l.id);
        if (it == hb.listeners.end()) {
            continue;
        }
        const wire::ListenerStats& s = it->second.stats;
        out.push_back(
            {l.id, s.rx, s.tx, s.conns, s.totconns, s.ereq, hb.ver < wire::kHeartbeatVersion});
    }
    return out;
}

}  // namespace

RollupResult roll_up(const LoadBalancerState& view, const wire::Heartbeat& heartbeat) {
    RollupResult out;
    std::string lb_status = view.admin_state_up ? "ONLINE" : "OFFLINE";
    roll_up_listeners(view, heartbeat, lb_status, out);
    PoolReports reports = pool_reports(heartbeat);
    for (const PoolState& pool : view.pools) {
        auto it = reports.find(pool.id);
        if (it != reports.end()) {
            roll_up_pool(pool, *it->second, lb_status, out);
        } else if (pool.operating_status != "OFFLINE") {
            out.pools.push_back({pool.id, "OFFLINE"});  // in the DB, absent from the amphora
        }
    }
    if (lb_status != view.operating_status) {
        out.load_balancer = lb_status;
    }
    out.stats = stats(view, heartbeat);
    out.refresh_liveness = liveness(view, heartbeat);
    return out;
}

}  // namespace octane::controller::health
