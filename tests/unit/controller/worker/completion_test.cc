#include "controller/worker/completion.h"

#include <map>

#include <gtest/gtest.h>

#include "model/statuses.h"

namespace octane::controller {
namespace {

using model::Kind;
using nlohmann::json;

db::TreeObject object(const std::string& id, const std::string& parent, const std::string& status,
                      json attrs = json::object()) {
    db::TreeObject o;
    o.id = id;
    o.parent_id = parent;
    o.load_balancer_id = "lb";
    o.provisioning_status = status;
    o.operating_status = model::kOffline;
    o.attrs = std::move(attrs);
    return o;
}

// Outcome of a plan as id -> "DELETE" | "<provisioning>/<operating>" | "ATTRS".
std::map<std::string, std::string> outcome(const std::vector<StatusChange>& plan) {
    std::map<std::string, std::string> out;
    for (const auto& c : plan) {
        switch (c.action) {
            case StatusChange::Action::kDelete:
                out[c.id] = "DELETE";
                break;
            case StatusChange::Action::kUpdateAttrs:
                out[c.id + "#attrs"] = c.attrs.dump();
                break;
            case StatusChange::Action::kSetStatus:
                out[c.id] = c.provisioning_status + "/" + c.operating_status;
        }
    }
    return out;
}

LoadBalancerTree base_tree(const std::string& lb_status) {
    LoadBalancerTree t;
    t.load_balancer = object("lb", "", lb_status);
    return t;
}

TEST(PlanSuccess, GraphCreateActivatesEverything) {
    auto t = base_tree(model::kPendingCreate);
    t.listeners = {object("l1", "lb", model::kPendingCreate)};
    t.pools = {object("p1", "lb", model::kPendingCreate)};
    t.members = {object("m1", "p1", model::kPendingCreate)};
    t.health_monitors = {object("hm", "p1", model::kPendingCreate, {{"admin_state_up", false}})};
    auto o = outcome(plan_success(t));
    EXPECT_EQ(o["lb"], "ACTIVE/");
    EXPECT_EQ(o["l1"], "ACTIVE/");
    EXPECT_EQ(o["m1"], "ACTIVE/");
    EXPECT_EQ(o["hm"], "ACTIVE/OFFLINE");
}

TEST(PlanSuccess, PoolDeleteTakesMembersMonitorAndDefaultPoolReference) {
    auto t = base_tree(model::kPendingUpdate);
    t.listeners = {object("l1", "lb", model::kPendingUpdate, {{"default_pool_id", "p1"}})};
    t.pools = {object("p1", "lb", model::kPendingDelete)};
    t.members = {object("m1", "p1", model::kActive)};
    t.health_monitors = {object("hm", "p1", model::kActive)};
    auto o = outcome(plan_success(t));
    EXPECT_EQ(o["p1"], "DELETE");
    EXPECT_EQ(o["m1"], "DELETE");
    EXPECT_EQ(o["hm"], "DELETE");
    EXPECT_EQ(o["l1"], "ACTIVE/");
    EXPECT_EQ(json::parse(o["l1#attrs"])["default_pool_id"], nullptr);
}

TEST(PlanSuccess, MonitorDeleteTurnsMembersNoMonitor) {
    auto t = base_tree(model::kPendingUpdate);
    t.pools = {object("p1", "lb", model::kPendingUpdate)};
    t.members = {object("m1", "p1", model::kActive)};
    t.health_monitors = {object("hm", "p1", model::kPendingDelete)};
    auto o = outcome(plan_success(t));
    EXPECT_EQ(o["hm"], "DELETE");
    EXPECT_EQ(o["m1"], "/NO_MONITOR");
    EXPECT_EQ(o["p1"], "ACTIVE/");
}

TEST(PlanSuccess, PolicyPositionsCloseUp) {
    auto t = base_tree(model::kPendingUpdate);
    t.listeners = {object("l1", "lb", model::kPendingUpdate)};
    t.l7policies = {object("a", "l1", model::kActive, {{"position", 1}}),
                    object("b", "l1", model::kPendingDelete, {{"position", 2}}),
                    object("c", "l1", model::kActive, {{"position", 3}})};
    t.l7rules = {object("r", "b", model::kActive)};
    auto o = outcome(plan_success(t));
    EXPECT_EQ(o["b"], "DELETE");
    EXPECT_EQ(o["r"], "DELETE");
    EXPECT_EQ(json::parse(o["c#attrs"])["position"], 2);
    EXPECT_EQ(o.count("a#attrs"), 0u);
}

TEST(PlanSuccess, LoadBalancerDeleteRemovesAllAndMarksDeleted) {
    auto t = base_tree(model::kPendingDelete);
    t.listeners = {object("l1", "lb", model::kActive)};
    t.pools = {object("p1", "lb", model::kActive)};
    auto o = outcome(plan_success(t));
    EXPECT_EQ(o["l1"], "DELETE");
    EXPECT_EQ(o["p1"], "DELETE");
    EXPECT_EQ(o["lb"], "DELETED/OFFLINE");
}

TEST(PlanFailure, ChildChangeFailsChildOnly) {
    auto t = base_tree(model::kPendingUpdate);
    t.pools = {object("p1", "lb", model::kPendingUpdate)};
    t.members = {object("m1", "p1", model::kPendingCreate)};
    auto o = outcome(plan_failure(t));
    EXPECT_EQ(o["m1"], "ERROR/");
    EXPECT_EQ(o["p1"], "ACTIVE/");
    EXPECT_EQ(o["lb"], "ACTIVE/");
}

TEST(PlanFailure, OwnChangeFailsTheLoadBalancer) {
    EXPECT_EQ(outcome(plan_failure(base_tree(model::kPendingCreate)))["lb"], "ERROR/");
    EXPECT_EQ(outcome(plan_failure(base_tree(model::kPendingUpdate)))["lb"], "ERROR/");
    auto t = base_tree(model::kPendingUpdate);
    t.failover_requested = true;
    t.listeners = {object("l1", "lb", model::kActive)};
    EXPECT_EQ(outcome(plan_failure(t))["lb"], "ERROR/");
}

TEST(DesiredGraph, LeavesOutDeletedObjects) {
    auto t = base_tree(model::kPendingUpdate);
    t.listeners = {object("l1", "lb", model::kActive, {{"default_pool_id", "p1"}})};
    t.pools = {object("p1", "lb", model::kPendingDelete), object("p2", "lb", model::kActive)};
    t.members = {object("m2", "p2", model::kActive), object("m3", "p2", model::kPendingDelete)};
    json g = desired_graph(t);
    ASSERT_EQ(g["pools"].size(), 1u);
    EXPECT_EQ(g["pools"][0]["id"], "p2");
    EXPECT_EQ(g["pools"][0]["members"].size(), 1u);
    EXPECT_EQ(g["listeners"][0]["default_pool_id"], nullptr);
}

}  // namespace
}  // namespace octane::controller
