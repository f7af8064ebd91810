// Router body validation and the fixed-IP choice of a floating IP: Neutron's wording, policy,
// and what each request asks for.

#include "networking/router_bodies.h"

#include <gtest/gtest.h>

#include "networking/floatingip_fixed_ip.h"

namespace octane::networking {
namespace {

using nlohmann::json;

const std::string kNet = "11111111-2222-3333-4444-555555555555";
const std::string kSubnet = "66666666-7777-8888-9999-000000000000";

TEST(GatewayInfo, NullAndEmptyClearTheGateway) {
    for (const json& given : {json(nullptr), json::object()}) {
        auto parsed = parse_gateway_info(given, false, false);
        ASSERT_TRUE(parsed) << given.dump();
        EXPECT_FALSE(parsed->has_value());
    }
}

TEST(GatewayInfo, NetworkWithDefaults) {
    auto parsed = parse_gateway_info({{"network_id", kNet}}, false, true);
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(parsed->has_value());
    EXPECT_EQ((*parsed)->network_id, kNet);
    EXPECT_TRUE((*parsed)->enable_snat);
    EXPECT_TRUE((*parsed)->external_fixed_ips.empty());
}

TEST(GatewayInfo, AdminChoosesSnatAndAddresses) {
    json given = {{"network_id", kNet},
                  {"enable_snat", false},
                  {"external_fixed_ips", {{{"subnet_id", kSubnet}, {"ip_address", "10.0.0.7"}}}}};
    auto parsed = parse_gateway_info(given, true, false);
    ASSERT_TRUE(parsed);
    EXPECT_FALSE((*parsed)->enable_snat);
    ASSERT_EQ((*parsed)->external_fixed_ips.size(), 1u);
    EXPECT_EQ((*parsed)->external_fixed_ips[0].subnet_id, kSubnet);
    EXPECT_EQ((*parsed)->external_fixed_ips[0].ip_address, "10.0.0.7");
}

TEST(GatewayInfo, OnlyAdminsChooseSnatOrAddresses) {
    auto snat = parse_gateway_info({{"network_id", kNet}, {"enable_snat", true}}, false, true);
    ASSERT_FALSE(snat);
    EXPECT_EQ(snat.error().status, 403);
    EXPECT_EQ(snat.error().message,
              "(rule:create_router:external_gateway_info:enable_snat) is disallowed by policy");
    auto ips = parse_gateway_info(
        {{"network_id", kNet}, {"external_fixed_ips", json::array({{{"subnet_id", kSubnet}}})}},
        false, false);
    ASSERT_FALSE(ips);
    EXPECT_EQ(ips.error().message,
              "(rule:update_router:external_gateway_info:external_fixed_ips) is disallowed by "
              "policy");
}

TEST(GatewayInfo, RefusesMalformedBodies) {
    struct Case {
        json given;
        std::string message;
    };
    const Case cases[] = {
        {json("x"), "Invalid input for external_gateway_info. Reason: 'x' is not a dictionary."},
        {{{"network_id", kNet}, {"qos_policy_id", nullptr}},
         "Invalid input for external_gateway_info. Reason: Unexpected keys supplied: "
         "qos_policy_id."},
        {{{"enable_snat", true}},
         "Invalid input for external_gateway_info. Reason: Validation of dictionary's keys "
         "failed. Expected keys: {'network_id'} Provided keys: {'enable_snat'}."},
        {{{"network_id", "provider"}},
         "Invalid input for external_gateway_info. Reason: 'provider' is not a valid UUID."},
        {{{"network_id", kNet}, {"enable_snat", "yes"}},
         "Invalid input for external_gateway_info. Reason: 'yes' cannot be converted to "
         "boolean."},
        {{{"network_id", kNet}, {"external_fixed_ips", json::array({{{"ip_address", "1.2.3"}}})}},
         "Invalid input for external_gateway_info. Reason: '1.2.3' is not a valid IP address."},
    };
    for (const auto& c : cases) {
        auto parsed = parse_gateway_info(c.given, true, true);
        ASSERT_FALSE(parsed) << c.given.dump();
        EXPECT_EQ(parsed.error().status, 400);
        EXPECT_EQ(parsed.error().message, c.message);
    }
}

TEST(RouterInput, NeutronRepresentationDefaults) {
    auto input = router_input({{"name", "r"}}, {{"name", "r"}}, false);
    ASSERT_TRUE(input);
    const json& r = input->attrs;
    EXPECT_EQ(r["status"], "ACTIVE");
    EXPECT_EQ(r["admin_state_up"], true);
    EXPECT_TRUE(r["external_gateway_info"].is_null());
    EXPECT_EQ(r["routes"], json::array());
    EXPECT_EQ(r["distributed"], false);
    EXPECT_EQ(r["ha"], false);
    EXPECT_TRUE(r["flavor_id"].is_null());
    EXPECT_FALSE(input->gateway.has_value());
    auto with_gateway =
        router_input({{"external_gateway_info", {{"network_id", kNet}}}}, json::object(), false);
    ASSERT_TRUE(with_gateway);
    ASSERT_TRUE(with_gateway->gateway.has_value());
    EXPECT_EQ(with_gateway->gateway->network_id, kNet);
}

TEST(InterfaceRequest, SubnetOrPort) {
    auto by_subnet = parse_interface_request({{"subnet_id", kSubnet}}, false);
    ASSERT_TRUE(by_subnet);
    EXPECT_EQ(by_subnet->subnet_id, kSubnet);
    EXPECT_FALSE(by_subnet->port_id);
    auto both = parse_interface_request({{"subnet_id", kSubnet}, {"port_id", kNet}}, false);
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().message,
              "Bad router request: Cannot specify both subnet-id and port-id.");
    auto removal = parse_interface_request({{"subnet_id", kSubnet}, {"port_id", kNet}}, true);
    ASSERT_TRUE(removal);
    EXPECT_EQ(removal->port_id, kNet);
    auto neither = parse_interface_request(json::object(), false);
    ASSERT_FALSE(neither);
    EXPECT_EQ(neither.error().type, "BadRequest");
    EXPECT_EQ(neither.error().message,
              "Bad router request: Either subnet_id or port_id must be specified.");
    auto malformed = parse_interface_request({{"port_id", "p1"}}, true);
    ASSERT_FALSE(malformed);
    EXPECT_EQ(malformed.error().message, "Bad router request: 'p1' is not a valid UUID.");
}

TEST(Routes, NormalisedAndChecked) {
    auto routes =
        parse_routes(json::array({{{"destination", "10.9.0.7/16"}, {"nexthop", "10.0.0.5"}}}));
    ASSERT_TRUE(routes);
    EXPECT_EQ(*routes, json::array({{{"destination", "10.9.0.0/16"}, {"nexthop", "10.0.0.5"}}}));
    EXPECT_EQ(routes_text(*routes), "[{'destination': '10.9.0.0/16', 'nexthop': '10.0.0.5'}]");
    auto cleared = parse_routes(nullptr);
    ASSERT_TRUE(cleared);
    EXPECT_EQ(*cleared, json::array());
    for (const json& bad :
         {json("x"), json::array({{{"destination", "10.9.0.0/16"}}}),
          json::array({{{"destination", "nope"}, {"nexthop", "10.0.0.5"}}}),
          json::array({{{"destination", "10.9.0.0/16"}, {"nexthop", "10.0.0.5"}},
                       {{"destination", "10.9.0.0/16"}, {"nexthop", "10.0.0.5"}}})}) {
        auto refused = parse_routes(bad);
        ASSERT_FALSE(refused) << bad.dump();
        EXPECT_EQ(refused.error().status, 400);
        EXPECT_EQ(refused.error().message.rfind("Invalid input for routes. Reason: ", 0), 0u)
            << refused.error().message;
    }
}

json port_with(std::initializer_list<std::pair<std::string, std::string>> ips) {
    json port = {{"id", "p"}, {"fixed_ips", json::array()}};
    for (const auto& [subnet, address] : ips) {
        port["fixed_ips"].push_back({{"subnet_id", subnet}, {"ip_address", address}});
    }
    return port;
}

TEST(FloatingIpFixedIp, TheOnlyIpv4AddressOrTheOneAskedFor) {
    auto only =
        fixed_ip_for_floatingip(port_with({{"v6", "fd00::5"}, {"v4", "10.0.0.5"}}), std::nullopt);
    ASSERT_TRUE(only);
    EXPECT_EQ(only->subnet_id, "v4");
    EXPECT_EQ(only->ip_address, "10.0.0.5");
    auto asked = fixed_ip_for_floatingip(port_with({{"a", "10.0.0.5"}, {"b", "10.1.0.5"}}),
                                         std::string("10.1.0.5"));
    ASSERT_TRUE(asked);
    EXPECT_EQ(asked->subnet_id, "b");
}

TEST(FloatingIpFixedIp, NeutronRefusals) {
    auto several =
        fixed_ip_for_floatingip(port_with({{"a", "10.0.0.5"}, {"b", "10.1.0.5"}}), std::nullopt);
    ASSERT_FALSE(several);
    EXPECT_EQ(several.error().message,
              "Bad floatingip request: Port p has multiple fixed IPv4 addresses.  Must provide a "
              "specific IPv4 address when assigning a floating IP.");
    auto none = fixed_ip_for_floatingip(port_with({{"v6", "fd00::5"}}), std::nullopt);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().message,
              "Bad floatingip request: Cannot add floating IP to port p that has no fixed IPv4 "
              "addresses.");
    auto missing = fixed_ip_for_floatingip(port_with({{"a", "10.0.0.5"}}), std::string("10.0.0.6"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message,
              "Bad floatingip request: Port p does not have fixed ip 10.0.0.6.");
    auto v6 = fixed_ip_for_floatingip(port_with({{"v6", "fd00::5"}}), std::string("fd00::5"));
    ASSERT_FALSE(v6);
    EXPECT_EQ(v6.error().status, 400);
}

}  // namespace
}  // namespace octane::networking
