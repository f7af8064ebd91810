// Topology and roles of a load balancer's amphorae: flavor over option, existing roles over both,
// MASTER + BACKUP for a new pair, the survivor MASTER and a new BACKUP after a failover.

#include "controller/worker/topology.h"

#include <gtest/gtest.h>

namespace octane::controller {
namespace {

TEST(Topology, FlavorOverridesTheOptionAndExistingRolesOverrideBoth) {
    EXPECT_EQ(topology_of({}, std::nullopt, "SINGLE", true), "SINGLE");
    EXPECT_EQ(topology_of({}, std::nullopt, "ACTIVE_STANDBY", true), "ACTIVE_STANDBY");
    EXPECT_EQ(topology_of({}, "ACTIVE_STANDBY", "SINGLE", true), "ACTIVE_STANDBY");
    EXPECT_EQ(topology_of({}, "SINGLE", "ACTIVE_STANDBY", true), "SINGLE");
    EXPECT_EQ(topology_of({"STANDALONE"}, std::nullopt, "ACTIVE_STANDBY", true), "SINGLE");
    EXPECT_EQ(topology_of({"BACKUP"}, std::nullopt, "SINGLE", true), "ACTIVE_STANDBY");
    EXPECT_EQ(topology_of({}, "ACTIVE_STANDBY", "SINGLE", false), "SINGLE");
}

TEST(Topology, NewPairIsMasterThenBackup) {
    auto plan = plan_amphorae("ACTIVE_STANDBY", {});
    ASSERT_EQ(plan.create.size(), 2u);
    EXPECT_EQ(plan.create[0].role, "MASTER");
    EXPECT_EQ(plan.create[0].vrrp_priority, 100);
    EXPECT_EQ(plan.create[1].role, "BACKUP");
    EXPECT_EQ(plan.create[1].vrrp_priority, 90);
    EXPECT_FALSE(plan.survivor);
}

TEST(Topology, SurvivingBackupBecomesMasterAndTheReplacementBackup) {
    auto plan = plan_amphorae("ACTIVE_STANDBY", {"BACKUP"});
    ASSERT_TRUE(plan.survivor);
    EXPECT_EQ(plan.survivor->role, "MASTER");
    EXPECT_EQ(plan.survivor->vrrp_priority, 100);
    ASSERT_EQ(plan.create.size(), 1u);
    EXPECT_EQ(plan.create[0].role, "BACKUP");

    auto kept_master = plan_amphorae("ACTIVE_STANDBY", {"MASTER"});
    EXPECT_FALSE(kept_master.survivor);
    ASSERT_EQ(kept_master.create.size(), 1u);
    EXPECT_EQ(kept_master.create[0].role, "BACKUP");
}

TEST(Topology, CompleteSetsNeedNothing) {
    EXPECT_TRUE(plan_amphorae("ACTIVE_STANDBY", {"MASTER", "BACKUP"}).create.empty());
    EXPECT_TRUE(plan_amphorae("SINGLE", {"STANDALONE"}).create.empty());
    auto single = plan_amphorae("SINGLE", {});
    ASSERT_EQ(single.create.size(), 1u);
    EXPECT_EQ(single.create[0].role, "STANDALONE");
    EXPECT_FALSE(single.create[0].vrrp_priority);
}

}  // namespace
}  // namespace octane::controller
