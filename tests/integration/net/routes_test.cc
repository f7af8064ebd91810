#include "net/routes.h"

#include <algorithm>

#include "net/addresses.h"
#include "net/links.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::count_occurrences;
using testing::NetnsTest;
using testing::run_command;

size_t count_routes(const Result<std::vector<Route>>& routes, const Route& wanted) {
    return routes ? static_cast<size_t>(std::count(routes->begin(), routes->end(), wanted)) : 0;
}

std::string describe(const Result<std::vector<Route>>& routes) {
    std::string text;
    if (routes) {
        for (const auto& route : *routes) {
            text += route.destination + " via '" + route.gateway + "' dev '" + route.device +
                    "' metric " + std::to_string(route.metric) +
                    (route.unreachable ? " unreachable" : "") + (route.onlink ? " onlink" : "") +
                    "\n";
        }
    }
    return text;
}

class RoutesTest : public NetnsTest {
  protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        ns_ = make_netns("routes");
        ASSERT_TRUE(add_veth(ns_, "qg-route0", ns_, "tap-route0", "", 0));
        ASSERT_TRUE(set_up(ns_, "tap-route0"));
        ASSERT_TRUE(set_up(ns_, "qg-route0"));
    }
    std::string ns_;
};

TEST_F(RoutesTest, AddressesIdempotentBothFamilies) {
    auto added = add_address(ns_, "qg-route0", "203.0.113.5/24");
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_TRUE(add_address(ns_, "qg-route0", "203.0.113.5/24"));
    ASSERT_TRUE(add_address(ns_, "qg-route0", "203.0.113.50/32"));  // a floating IP
    ASSERT_TRUE(add_address(ns_, "qg-route0", "2001:db8::5/64"));
    auto listed = list_addresses(ns_, "qg-route0");
    ASSERT_TRUE(listed) << listed.error().message;
    for (const std::string wanted : {"203.0.113.5/24", "203.0.113.50/32", "2001:db8::5/64"}) {
        EXPECT_EQ(std::count(listed->begin(), listed->end(), wanted), 1) << wanted;
    }
    const auto shown = run_command("ip netns exec " + ns_ + " ip -o addr show dev qg-route0");
    EXPECT_NE(shown.output.find("inet 203.0.113.5/24"), std::string::npos) << shown.output;
    EXPECT_NE(shown.output.find("inet 203.0.113.50/32"), std::string::npos) << shown.output;

    ASSERT_TRUE(delete_address(ns_, "qg-route0", "203.0.113.50/32"));
    EXPECT_TRUE(delete_address(ns_, "qg-route0", "203.0.113.50/32")) << "missing is success";
    EXPECT_TRUE(delete_address(ns_, "nosuchdev", "203.0.113.50/32")) << "gone with its device";
    listed = list_addresses(ns_, "qg-route0");
    ASSERT_TRUE(listed);
    EXPECT_EQ(std::count(listed->begin(), listed->end(), "203.0.113.50/32"), 0);
    EXPECT_EQ(std::count(listed->begin(), listed->end(), "203.0.113.5/24"), 1);

    auto bad = add_address(ns_, "qg-route0", "203.0.113.300/24");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("203.0.113.300"), std::string::npos);
    auto no_dev = add_address(ns_, "nosuchdev", "203.0.113.9/24");
    ASSERT_FALSE(no_dev);
    EXPECT_NE(no_dev.error().message.find("nosuchdev"), std::string::npos);
}

TEST_F(RoutesTest, DefaultOnlinkUnreachableTableAndRule) {
    ASSERT_TRUE(add_address(ns_, "qg-route0", "203.0.113.5/24"));
    // Gateway outside the subnet: reachable only because of onlink.
    const Route gateway{
        .destination = "default", .gateway = "198.51.100.1", .device = "qg-route0", .onlink = true};
    auto added = add_route(ns_, gateway);
    ASSERT_TRUE(added) << added.error().message;
    const Route blocked{.destination = "10.99.0.0/16", .unreachable = true, .metric = 100};
    added = add_route(ns_, blocked);
    ASSERT_TRUE(added) << added.error().message;
    const Route in_table_1{
        .destination = "default", .gateway = "203.0.113.1", .device = "qg-route0", .table = 1};
    added = add_route(ns_, in_table_1);
    ASSERT_TRUE(added) << added.error().message;

    auto main_routes = list_routes(ns_);
    ASSERT_TRUE(main_routes) << main_routes.error().message;
    EXPECT_EQ(count_routes(main_routes, gateway), 1u) << describe(main_routes);
    EXPECT_EQ(count_routes(main_routes, blocked), 1u) << describe(main_routes);
    EXPECT_EQ(count_routes(main_routes, in_table_1), 0u) << describe(main_routes);
    auto table_1 = list_routes(ns_, 1);
    ASSERT_TRUE(table_1);
    EXPECT_EQ(count_routes(table_1, in_table_1), 1u) << describe(table_1);
    const auto shown = run_command("ip netns exec " + ns_ + " ip route show");
    EXPECT_NE(shown.output.find("default via 198.51.100.1 dev qg-route0 onlink"), std::string::npos)
        << shown.output;
    EXPECT_NE(shown.output.find("unreachable 10.99.0.0/16 metric 100"), std::string::npos)
        << shown.output;

    // Replace: the same destination/table/metric with another gateway leaves one route.
    Route moved = gateway;
    moved.gateway = "198.51.100.2";
    ASSERT_TRUE(add_route(ns_, moved));
    main_routes = list_routes(ns_);
    EXPECT_EQ(count_routes(main_routes, moved), 1u) << describe(main_routes);
    EXPECT_EQ(count_routes(main_routes, gateway), 0u) << describe(main_routes);

    auto deleted = delete_route(ns_, moved);
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_TRUE(delete_route(ns_, moved)) << "missing is success";
    ASSERT_TRUE(delete_route(ns_, blocked));
    main_routes = list_routes(ns_);
    EXPECT_EQ(count_routes(main_routes, moved), 0u) << describe(main_routes);
    EXPECT_EQ(count_routes(main_routes, blocked), 0u) << describe(main_routes);

    auto rule = add_rule(ns_, "203.0.113.5/32", 1, 100);
    ASSERT_TRUE(rule) << rule.error().message;
    EXPECT_TRUE(add_rule(ns_, "203.0.113.5/32", 1, 100));
    auto rules = list_rules(ns_);
    ASSERT_TRUE(rules) << rules.error().message;
    const PolicyRule wanted{"203.0.113.5/32", 1, 100};
    EXPECT_EQ(std::count(rules->begin(), rules->end(), wanted), 1);
    const auto ip_rules = run_command("ip netns exec " + ns_ + " ip rule show");
    EXPECT_EQ(count_occurrences(ip_rules.output, "100:\tfrom 203.0.113.5 lookup 1"), 1u)
        << ip_rules.output;
    ASSERT_TRUE(delete_rule(ns_, "203.0.113.5/32", 1, 100));
    EXPECT_TRUE(delete_rule(ns_, "203.0.113.5/32", 1, 100));
    rules = list_rules(ns_);
    ASSERT_TRUE(rules);
    EXPECT_EQ(std::count(rules->begin(), rules->end(), wanted), 0);
}

TEST_F(RoutesTest, InvalidRoutesAreRefusedBeforeTheKernel) {
    auto no_hop = add_route(ns_, Route{.destination = "10.1.0.0/16"});
    ASSERT_FALSE(no_hop);
    EXPECT_NE(no_hop.error().message.find(ns_), std::string::npos) << no_hop.error().message;
    EXPECT_FALSE(add_route(ns_, Route{.destination = "10.1.0.0/33", .device = "qg-route0"}));
    EXPECT_FALSE(add_route(ns_, Route{.destination = "10.1.0.0/16", .device = "nosuchdev"}));
    // Unreachable gateway without onlink: the kernel refuses, and says why.
    auto unreachable_gateway = add_route(
        ns_, Route{.destination = "10.2.0.0/16", .gateway = "198.51.100.9", .device = "qg-route0"});
    ASSERT_FALSE(unreachable_gateway);
    EXPECT_NE(unreachable_gateway.error().message.find("qg-route0"), std::string::npos);
}

}  // namespace
}  // namespace octane::net
