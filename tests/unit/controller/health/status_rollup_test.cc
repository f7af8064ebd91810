// Table-driven tests of the heartbeat roll-up (docs/octavia-api.md §3.3, docs/amphora.md §3).

#include "controller/health/status_rollup.h"

#include <gtest/gtest.h>

namespace octane::controller::health {
namespace {

using Changes = std::vector<StatusChange>;

// One LB: listener l1 (enabled) with pool p1 (members m1, m2), everything OFFLINE in the DB.
LoadBalancerState base_view() {
    LoadBalancerState v;
    v.id = "lb";
    v.provisioning_status = "ACTIVE";
    v.operating_status = "OFFLINE";
    v.listeners = {{"l1", true, "OFFLINE"}};
    v.pools = {{"p1", "OFFLINE", {{"m1", "OFFLINE"}, {"m2", "OFFLINE"}}}};
    return v;
}

wire::Heartbeat beat(const std::string& listener_status, const std::string& pool_status,
                     const std::string& m1, const std::string& m2) {
    wire::Heartbeat hb;
    hb.amphora_id = "amp";
    hb.listeners["l1"] = {listener_status, {}};
    hb.pools["p1:l1"] = {pool_status, {{"m1", m1}, {"m2", m2}}};
    return hb;
}

struct Case {
    const char* name;
    LoadBalancerState view;
    wire::Heartbeat heartbeat;
    std::optional<std::string> lb;
    Changes listeners;
    Changes pools;
    Changes members;
};

LoadBalancerState with(LoadBalancerState v, void (*edit)(LoadBalancerState&)) {
    edit(v);
    return v;
}

wire::Heartbeat without_listener(wire::Heartbeat hb) {
    hb.listeners.clear();
    hb.pools.clear();
    return hb;
}

std::vector<Case> cases() {
    LoadBalancerState online = with(base_view(), [](LoadBalancerState& v) {
        v.operating_status = "ONLINE";
        v.listeners[0].operating_status = "ONLINE";
        v.pools[0].operating_status = "ONLINE";
        v.pools[0].members = {{"m1", "ONLINE"}, {"m2", "ONLINE"}};
    });
    return {
        {"all_up",
         base_view(),
         beat("OPEN", "UP", "UP", "UP"),
         "ONLINE",
         {{"l1", "ONLINE"}},
         {{"p1", "ONLINE"}},
         {{"m1", "ONLINE"}, {"m2", "ONLINE"}}},
        {"unchanged_reports_nothing",
         online,
         beat("OPEN", "UP", "UP", "UP"),
         std::nullopt,
         {},
         {},
         {}},
        {"member_down_degrades_pool_and_lb",
         online,
         beat("OPEN", "UP", "UP", "DOWN"),
         "DEGRADED",
         {},
         {{"p1", "DEGRADED"}},
         {{"m2", "ERROR"}}},
        {"transitional_states",
         base_view(),
         beat("OPEN", "UP", "UP 1/3", "DOWN 2/3"),
         "DEGRADED",
         {{"l1", "ONLINE"}},
         {{"p1", "DEGRADED"}},
         {{"m1", "ONLINE"}, {"m2", "ERROR"}}},
        {"pool_down_is_lb_error",
         online,
         beat("OPEN", "DOWN", "DOWN", "DOWN"),
         "ERROR",
         {},
         {{"p1", "ERROR"}},
         {{"m1", "ERROR"}, {"m2", "ERROR"}}},
        {"listener_full_degrades",
         online,
         beat("FULL", "UP", "UP", "UP"),
         "DEGRADED",
         {{"l1", "DEGRADED"}},
         {},
         {}},
        {"drain_maint_nocheck",
         online,
         beat("OPEN", "UP", "DRAIN", "MAINT"),
         std::nullopt,
         {},
         {},
         {{"m1", "DRAINING"}, {"m2", "OFFLINE"}}},
        {"no_check_is_no_monitor",
         base_view(),
         beat("OPEN", "UP", "no check", "no check"),
         "ONLINE",
         {{"l1", "ONLINE"}},
         {{"p1", "ONLINE"}},
         {{"m1", "NO_MONITOR"}, {"m2", "NO_MONITOR"}}},
        {"restarting_keeps_status",
         online,
         beat("OPEN", "UP", "RESTARTING", "UP"),
         std::nullopt,
         {},
         {},
         {}},
        {"missing_member_offline_unless_no_monitor",
         with(online,
              [](LoadBalancerState& v) { v.pools[0].members[1].operating_status = "NO_MONITOR"; }),
         [] {
             auto hb = beat("OPEN", "UP", "UP", "UP");
             hb.pools["p1:l1"].members.clear();
             return hb;
         }(),
         std::nullopt,
         {},
         {},
         {{"m1", "OFFLINE"}}},
        {"missing_listener_is_error_when_expected",
         online,
         without_listener(beat("OPEN", "UP", "UP", "UP")),
         std::nullopt,
         {{"l1", "ERROR"}},
         {{"p1", "OFFLINE"}},
         {}},
        {"missing_disabled_listener_is_offline",
         with(online, [](LoadBalancerState& v) { v.listeners[0].admin_state_up = false; }),
         without_listener(beat("OPEN", "UP", "UP", "UP")),
         std::nullopt,
         {{"l1", "OFFLINE"}},
         {{"p1", "OFFLINE"}},
         {}},
        {"missing_listener_while_pending_is_offline",
         with(online, [](LoadBalancerState& v) { v.provisioning_status = "PENDING_UPDATE"; }),
         without_listener(beat("OPEN", "UP", "UP", "UP")),
         std::nullopt,
         {{"l1", "OFFLINE"}},
         {{"p1", "OFFLINE"}},
         {}},
        {"lb_admin_down_is_offline",
         with(online, [](LoadBalancerState& v) { v.admin_state_up = false; }),
         without_listener(beat("OPEN", "UP", "UP", "UP")),
         "OFFLINE",
         {{"l1", "OFFLINE"}},
         {{"p1", "OFFLINE"}},
         {}},
        {"pool_already_offline_not_rewritten",
         base_view(),
         without_listener(beat("OPEN", "UP", "UP", "UP")),
         "ONLINE",
         {{"l1", "ERROR"}},
         {},
         {}},
        {"bare_pool_key",
         base_view(),
         [] {
             auto hb = beat("OPEN", "UP", "UP", "UP");
             hb.pools["p1"] = hb.pools["p1:l1"];
             hb.pools.erase("p1:l1");
             return hb;
         }(),
         "ONLINE",
         {{"l1", "ONLINE"}},
         {{"p1", "ONLINE"}},
         {{"m1", "ONLINE"}, {"m2", "ONLINE"}}},
    };
}

TEST(StatusRollup, Table) {
    for (const Case& c : cases()) {
        RollupResult r = roll_up(c.view, c.heartbeat);
        EXPECT_EQ(r.load_balancer, c.lb) << c.name;
        EXPECT_EQ(r.listeners, c.listeners) << c.name;
        EXPECT_EQ(r.pools, c.pools) << c.name;
        EXPECT_EQ(r.members, c.members) << c.name;
    }
}

TEST(StatusRollup, StatsDeltasForKnownListeners) {
    LoadBalancerState v = base_view();
    wire::Heartbeat hb = beat("OPEN", "UP", "UP", "UP");
    hb.listeners["l1"].stats = {100, 200, 3, 4, 5};
    hb.listeners["stranger"] = {"OPEN", {1, 1, 1, 1, 1}};
    RollupResult r = roll_up(v, hb);
    ASSERT_EQ(r.stats.size(), 1u);
    EXPECT_EQ(r.stats[0].listener_id, "l1");
    EXPECT_EQ(r.stats[0].bytes_out, 100);
    EXPECT_EQ(r.stats[0].bytes_in, 200);
    EXPECT_EQ(r.stats[0].active_connections, 3);
    EXPECT_EQ(r.stats[0].total_connections, 4);
    EXPECT_EQ(r.stats[0].request_errors, 5);
    EXPECT_FALSE(r.stats[0].absolute);
    hb.ver = 2;
    EXPECT_TRUE(roll_up(v, hb).stats[0].absolute);
}

TEST(StatusRollup, LivenessNeedsEveryEnabledListener) {
    LoadBalancerState v = base_view();
    v.listeners.push_back({"l2", true, "OFFLINE"});
    v.listeners.push_back({"l3", false, "OFFLINE"});
    wire::Heartbeat hb = beat("OPEN", "UP", "UP", "UP");
    EXPECT_FALSE(roll_up(v, hb).refresh_liveness);  // 1 reported, 2 enabled
    hb.listeners["l2"] = {"OPEN", {}};
    EXPECT_TRUE(roll_up(v, hb).refresh_liveness);
    v.provisioning_status = "PENDING_UPDATE";
    hb.listeners.clear();
    EXPECT_TRUE(roll_up(v, hb).refresh_liveness);  // not checked while pending
}

}  // namespace
}  // namespace octane::controller::health
