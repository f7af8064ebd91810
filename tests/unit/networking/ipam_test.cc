#include "networking/ipam.h"

#include <gtest/gtest.h>

namespace octane::networking {
namespace {

std::string range_text(int version, const AddressRange& r) {
    return format_ip({version, r.start}) + "-" + format_ip({version, r.end});
}

TEST(Ipam, DefaultGatewayAndPoolsIpv4) {
    auto cidr = *parse_cidr("192.168.1.0/24");
    auto gw = default_gateway(cidr);
    EXPECT_EQ(format_ip(gw), "192.168.1.1");
    auto pools = default_pools(cidr, gw);
    ASSERT_EQ(pools.size(), 1u);
    EXPECT_EQ(range_text(4, pools[0]), "192.168.1.2-192.168.1.254");
    // A gateway in the middle splits the pool; none keeps every host address.
    auto split = default_pools(cidr, parse_ip("192.168.1.100"));
    ASSERT_EQ(split.size(), 2u);
    EXPECT_EQ(range_text(4, split[0]), "192.168.1.1-192.168.1.99");
    EXPECT_EQ(range_text(4, split[1]), "192.168.1.101-192.168.1.254");
    auto whole = default_pools(cidr, std::nullopt);
    ASSERT_EQ(whole.size(), 1u);
    EXPECT_EQ(range_text(4, whole[0]), "192.168.1.1-192.168.1.254");
}

TEST(Ipam, DefaultPoolsIpv6KeepTheLastAddress) {
    auto cidr = *parse_cidr("2001:db8::/64");
    auto pools = default_pools(cidr, default_gateway(cidr));
    ASSERT_EQ(pools.size(), 1u);
    EXPECT_EQ(range_text(6, pools[0]), "2001:db8::2-2001:db8::ffff:ffff:ffff:ffff");
}

TEST(Ipam, NextFreeSkipsUsedAndReportsExhaustion) {
    auto cidr = *parse_cidr("10.0.0.0/29");  // pool .2-.6 with gateway .1
    auto pools = default_pools(cidr, default_gateway(cidr));
    std::vector<Uint128> used;
    std::vector<std::string> given;
    for (int i = 0; i < 5; ++i) {
        auto next = next_free(pools, used);
        ASSERT_TRUE(next);
        given.push_back(format_ip({4, *next}));
        used.push_back(*next);
    }
    EXPECT_EQ(given, (std::vector<std::string>{"10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5",
                                               "10.0.0.6"}));
    EXPECT_FALSE(next_free(pools, used));
    // A hole is reused first.
    used.erase(used.begin() + 2);
    EXPECT_EQ(format_ip({4, *next_free(pools, used)}), "10.0.0.4");
}

TEST(Ipam, NextFreeAcrossSeveralPools) {
    auto cidr = *parse_cidr("10.0.0.0/24");
    auto pools = parse_pools(cidr, {{"10.0.0.50", "10.0.0.50"}, {"10.0.0.10", "10.0.0.11"}},
                             parse_ip("10.0.0.1"));
    ASSERT_TRUE(pools);
    std::vector<Uint128> used = {parse_ip("10.0.0.10")->value, parse_ip("10.0.0.11")->value};
    EXPECT_EQ(format_ip({4, *next_free(*pools, used)}), "10.0.0.50");
    EXPECT_TRUE(in_pools(*pools, parse_ip("10.0.0.50")->value));
    EXPECT_FALSE(in_pools(*pools, parse_ip("10.0.0.12")->value));
}

TEST(Ipam, PoolValidation) {
    auto cidr = *parse_cidr("10.0.0.0/24");
    auto gw = parse_ip("10.0.0.1");
    EXPECT_EQ(parse_pools(cidr, {{"10.0.1.2", "10.0.1.9"}}, gw).error().code, 400);
    EXPECT_EQ(parse_pools(cidr, {{"10.0.0.9", "10.0.0.2"}}, gw).error().code, 400);
    EXPECT_EQ(
        parse_pools(cidr, {{"10.0.0.2", "10.0.0.9"}, {"10.0.0.9", "10.0.0.20"}}, gw).error().code,
        400);
    EXPECT_EQ(parse_pools(cidr, {{"10.0.0.1", "10.0.0.9"}}, gw).error().code, 409);
    EXPECT_EQ(parse_pools(cidr, {{"bogus", "10.0.0.9"}}, gw).error().code, 400);
    EXPECT_EQ(parse_pools(cidr, {{"::1", "::2"}}, gw).error().code, 400);
}

}  // namespace
}  // namespace octane::networking
