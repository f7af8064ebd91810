#include "controller/health/evacuation_plan.h"

#include <gtest/gtest.h>

namespace octane::controller::health {
namespace {

std::string next_id(const EvacuationInput& input) {
    auto chosen = next_evacuation(input);
    return chosen ? chosen->amphora_id : "";
}

EvacuationInput two_hosts_one_disabled() {
    EvacuationInput input;
    input.enabled_hosts = {"host-2", "host-3"};
    input.disabled_hosts = {"host-1"};
    return input;
}

TEST(EvacuationPlan, SingleOnDisabledHostIsChosen) {
    auto input = two_hosts_one_disabled();
    input.amphorae = {{"a2", "lb2", "host-2", "SINGLE", "ACTIVE"},
                      {"a1", "lb1", "host-1", "SINGLE", "ACTIVE"}};
    EXPECT_EQ(next_id(input), "a1");
}

TEST(EvacuationPlan, NothingWithoutDisabledHosts) {
    EvacuationInput input;
    input.enabled_hosts = {"host-1", "host-2"};
    input.amphorae = {{"a1", "lb1", "host-1", "SINGLE", "ACTIVE"}};
    EXPECT_EQ(next_id(input), "");
}

TEST(EvacuationPlan, OneLoadBalancerAtATime) {
    auto input = two_hosts_one_disabled();
    input.amphorae = {{"a1", "lb1", "host-1", "SINGLE", "ACTIVE"}};
    input.failover_in_progress = true;
    EXPECT_EQ(next_id(input), "");
}

TEST(EvacuationPlan, OnlyActiveLoadBalancers) {
    auto input = two_hosts_one_disabled();
    input.amphorae = {{"a1", "lb1", "host-1", "SINGLE", "PENDING_UPDATE"},
                      {"a2", "lb2", "host-1", "SINGLE", "ERROR"},
                      {"a3", "lb3", "host-1", "SINGLE", "ACTIVE"}};
    EXPECT_EQ(next_id(input), "a3");
}

TEST(EvacuationPlan, BackupBeforeMaster) {
    auto input = two_hosts_one_disabled();
    input.amphorae = {{"m1", "lb1", "host-1", "MASTER", "ACTIVE"},
                      {"b1", "lb1", "host-2", "BACKUP", "ACTIVE"},
                      {"b2", "lb2", "host-1", "BACKUP", "ACTIVE"},
                      {"m2", "lb2", "host-3", "MASTER", "ACTIVE"}};
    EXPECT_EQ(next_id(input), "b2");
}

// A pair whose MASTER is on the disabled host-1 while its BACKUP holds host-2, the only one left.
EvacuationInput pair_whose_peer_holds_the_last_host() {
    EvacuationInput input;
    input.enabled_hosts = {"host-2"};
    input.disabled_hosts = {"host-1"};
    input.amphorae = {{"m1", "lb1", "host-1", "MASTER", "ACTIVE"},
                      {"b1", "lb1", "host-2", "BACKUP", "ACTIVE"}};
    return input;
}

TEST(EvacuationPlan, PairWithoutAHostForTheReplacementWaits) {
    auto input = pair_whose_peer_holds_the_last_host();
    input.amphorae.push_back({"s1", "lb2", "host-1", "SINGLE", "ACTIVE"});
    EXPECT_EQ(next_id(input), "s1");
    input.amphorae.pop_back();
    EXPECT_EQ(next_id(input), "");
}

TEST(EvacuationPlan, SoftAntiAffinityLetsAPairShareTheLastHost) {
    auto input = pair_whose_peer_holds_the_last_host();
    EXPECT_EQ(next_id(input), "");
    input.peers_may_share_host = true;
    EXPECT_EQ(next_id(input), "m1");
}

TEST(EvacuationPlan, NoEnabledHostLeft) {
    EvacuationInput input;
    input.disabled_hosts = {"host-1", "host-2"};
    input.amphorae = {{"a1", "lb1", "host-1", "SINGLE", "ACTIVE"}};
    EXPECT_EQ(next_id(input), "");
}

}  // namespace
}  // namespace octane::controller::health
