#include "model/quota.h"

#include <gtest/gtest.h>

namespace octane::model {
namespace {

using nlohmann::json;

TEST(Quota, StoredValueWinsOverDefault) {
    QuotaDefaults defaults;
    defaults.set(Kind::kListener, 4);
    EXPECT_EQ(effective_quota(json(nullptr), Kind::kListener, defaults), 4);
    EXPECT_EQ(effective_quota(json::object(), Kind::kPool, defaults), kQuotaUnlimited);
    EXPECT_EQ(effective_quota({{"listener", 2}}, Kind::kListener, defaults), 2);
    EXPECT_EQ(effective_quota({{"listener", 0}}, Kind::kListener, defaults), 0);
    // a stored null means "use the configured default"
    EXPECT_EQ(effective_quota({{"listener", nullptr}}, Kind::kListener, defaults), 4);
    EXPECT_EQ(effective_quota("garbage", Kind::kListener, defaults), 4);
}

TEST(Quota, BothSpellingsOfTheMisspelledKeys) {
    QuotaDefaults defaults;
    EXPECT_EQ(effective_quota({{"load_balancer", 3}}, Kind::kLoadBalancer, defaults), 3);
    EXPECT_EQ(effective_quota({{"loadbalancer", 5}}, Kind::kLoadBalancer, defaults), 5);
    EXPECT_EQ(effective_quota({{"health_monitor", 1}}, Kind::kHealthMonitor, defaults), 1);
    EXPECT_EQ(effective_quota({{"healthmonitor", 6}}, Kind::kHealthMonitor, defaults), 6);
}

TEST(Quota, ExceededOnlyPastTheLimit) {
    EXPECT_FALSE(quota_exceeded({Kind::kMember, 3, 2, 1}));  // reaches the limit exactly
    EXPECT_TRUE(quota_exceeded({Kind::kMember, 3, 3, 1}));
    EXPECT_TRUE(quota_exceeded({Kind::kMember, 3, 0, 4}));  // a batch larger than the quota
    EXPECT_TRUE(quota_exceeded({Kind::kMember, 0, 0, 1}));
    EXPECT_FALSE(quota_exceeded({Kind::kMember, kQuotaUnlimited, 1000000, 1000}));
    // net shrink or no change never exceeds, even when already over (quota lowered later)
    EXPECT_FALSE(quota_exceeded({Kind::kMember, 1, 5, 0}));
    EXPECT_FALSE(quota_exceeded({Kind::kMember, 1, 5, -2}));
}

TEST(Quota, FirstExceededFollowsTheGivenOrder) {
    std::vector<QuotaDemand> demands = {
        {Kind::kPool, 10, 0, 2}, {Kind::kHealthMonitor, 1, 1, 1}, {Kind::kMember, 1, 1, 1}};
    EXPECT_EQ(first_exceeded(demands), Kind::kHealthMonitor);
    demands[1].limit = kQuotaUnlimited;
    EXPECT_EQ(first_exceeded(demands), Kind::kMember);
    demands[2].adding = 0;
    EXPECT_EQ(first_exceeded(demands), std::nullopt);
    EXPECT_EQ(first_exceeded({}), std::nullopt);
}

TEST(Quota, NamesAsOctavia) {
    EXPECT_EQ(quota_met_message(Kind::kLoadBalancer),
              "Quota has been met for resources: Load Balancer");
    EXPECT_EQ(quota_met_message(Kind::kHealthMonitor),
              "Quota has been met for resources: Health Monitor");
    EXPECT_EQ(quota_met_message(Kind::kL7Policy), "Quota has been met for resources: L7 Policy");
    EXPECT_EQ(quota_met_message(Kind::kL7Rule), "Quota has been met for resources: L7 Rule");
    EXPECT_EQ(quota_key(Kind::kHealthMonitor), "healthmonitor");
    EXPECT_EQ(quota_key(Kind::kMember), "member");
    EXPECT_EQ(quota_key(Kind::kPool), "pool");
    EXPECT_EQ(quota_default_option(Kind::kMember), "default_member_quota");
    EXPECT_EQ(quota_default_option(Kind::kLoadBalancer), "default_load_balancer_quota");
    EXPECT_EQ(quota_default_option(Kind::kL7Rule), "default_l7rule_quota");
}

}  // namespace
}  // namespace octane::model
