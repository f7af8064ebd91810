#include "db/lease_repository.h"

#include <gtest/gtest.h>

#include "db/vrrp_group_repository.h"
#include "repository_fixture.h"

namespace octane::db::testing {
namespace {

using LeaseRepositoryTest = RepositoryTest;

TEST_F(LeaseRepositoryTest, PendingLoadBalancersComeWithTheirLeases) {
    add_load_balancer("lb1", "PENDING_CREATE");
    add_load_balancer("lb2", "ACTIVE");
    add_load_balancer("lb3", "PENDING_DELETE");
    LeaseRepository leases(*db_);
    EXPECT_EQ(*leases.count_pending(), 2);
    ASSERT_TRUE(leases.take("lb3", "host:1:a", 500));
    std::vector<PendingLoadBalancer> pending;
    auto done = db_->row_locked_transaction([&]() -> Result<void> {
        auto found = leases.pending_candidates();
        if (!found) {
            return Unexpected(found.error());
        }
        pending = std::move(*found);
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].id, "lb1");
    EXPECT_FALSE(pending[0].lease);
    EXPECT_EQ(pending[1].id, "lb3");
    ASSERT_TRUE(pending[1].lease);
    EXPECT_EQ(pending[1].lease->owner, "host:1:a");
    EXPECT_EQ(pending[1].lease->expires_ms, 500);
}

TEST_F(LeaseRepositoryTest, TakeRenewsAndOnlyTheOwnerReleases) {
    add_load_balancer("lb1", "PENDING_UPDATE");
    LeaseRepository leases(*db_);
    ASSERT_TRUE(leases.take("lb1", "host:1:a", 500));
    ASSERT_TRUE(leases.take("lb1", "host:2:b", 900));
    auto lease = leases.lease("lb1");
    ASSERT_TRUE(lease && *lease);
    EXPECT_EQ((*lease)->owner, "host:2:b");
    EXPECT_EQ((*lease)->expires_ms, 900);
    ASSERT_TRUE(leases.release("lb1", "host:1:a"));
    EXPECT_TRUE(*leases.lease("lb1"));
    ASSERT_TRUE(leases.release("lb1", "host:2:b"));
    EXPECT_FALSE(*leases.lease("lb1"));
}

TEST_F(LeaseRepositoryTest, TheFirstVrrpGroupStays) {
    VrrpGroupRepository groups(*db_);
    EXPECT_FALSE(*groups.get("lb1"));
    ASSERT_TRUE(groups.insert_if_absent("lb1", {{"vrrp_auth_pass", "one"}}));
    ASSERT_TRUE(groups.insert_if_absent("lb1", {{"vrrp_auth_pass", "two"}}));
    EXPECT_EQ(groups.get("lb1")->value()["vrrp_auth_pass"], "one");
    ASSERT_TRUE(groups.remove("lb1"));
    EXPECT_FALSE(*groups.get("lb1"));
}

}  // namespace
}  // namespace octane::db::testing
