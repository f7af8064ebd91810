#include "linuxbridge/router_nat.h"

#include <gtest/gtest.h>

namespace octane::linuxbridge {
namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(RouterNat, FloatingIpGetsDnatBothHooksAndItsOwnSnatBeforeTheRouterSnat) {
    RouterNat nat{"qg-1234567890a", "172.16.0.10", true, {{"172.16.0.177", "192.168.101.219"}}};
    std::string batch = render_router_nat(nat);
    // Replace-or-create in one transaction.
    EXPECT_EQ(batch.rfind("table ip neutron-l3-agent\ndelete table ip neutron-l3-agent\n", 0), 0u);
    size_t first_dnat = batch.find("ip daddr 172.16.0.177 dnat to 192.168.101.219");
    ASSERT_NE(first_dnat, std::string::npos);
    EXPECT_NE(batch.find("ip daddr 172.16.0.177 dnat to 192.168.101.219", first_dnat + 1),
              std::string::npos);  // prerouting and output
    size_t float_snat = batch.find("ip saddr 192.168.101.219 snat to 172.16.0.177");
    size_t router_snat = batch.find("oifname \"qg-1234567890a\" snat to 172.16.0.10");
    ASSERT_NE(float_snat, std::string::npos);
    ASSERT_NE(router_snat, std::string::npos);
    EXPECT_LT(float_snat, router_snat);
    EXPECT_TRUE(has(batch, "iifname \"qg-1234567890a\" meta mark set"));
    EXPECT_TRUE(has(batch, "ct status dnat snat to 172.16.0.10"));
}

TEST(RouterNat, SnatDisabledKeepsFloatingIpsButNoEgressSnat) {
    RouterNat nat{"qg-x", "172.16.0.10", false, {{"172.16.0.177", "10.1.1.5"}}};
    std::string batch = render_router_nat(nat);
    EXPECT_FALSE(has(batch, "oifname \"qg-x\" snat"));
    EXPECT_TRUE(has(batch, "dnat to 10.1.1.5"));
}

TEST(RouterNat, NoGatewayMeansNoTable) {
    EXPECT_TRUE(render_router_nat(RouterNat{}).empty());
    EXPECT_FALSE(has(render_router_nat({"qg-x", "172.16.0.10", true, {}}), "dnat to"));
}

TEST(RouterNat, ConntrackFlushFollowsFloatingIpChanges) {
    using List = std::vector<std::string>;
    const std::vector<FloatingIpNat> one = {{"172.16.0.5", "10.1.1.5"}};
    EXPECT_EQ(conntrack_to_flush({}, one), List({"172.16.0.5"}));  // new: only the floating IP
    EXPECT_EQ(conntrack_to_flush(one, one), List());               // unchanged: nothing
    EXPECT_EQ(conntrack_to_flush(one, {}), List({"10.1.1.5", "172.16.0.5"}));
    EXPECT_EQ(conntrack_to_flush(one, {{"172.16.0.5", "10.1.1.9"}}),
              List({"10.1.1.5", "172.16.0.5"}));  // re-pointed
    const std::vector<FloatingIpNat> two = {{"172.16.0.5", "10.1.1.5"}, {"172.16.0.6", "10.1.1.6"}};
    EXPECT_EQ(conntrack_to_flush(one, two), List({"172.16.0.6"}));  // the other one untouched
}

}  // namespace
}  // namespace octane::linuxbridge
