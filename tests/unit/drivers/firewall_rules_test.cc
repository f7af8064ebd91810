#include "drivers/firewall_rules.h"

#include <gtest/gtest.h>

namespace octane::drivers {
namespace {

using nlohmann::json;

TEST(FirewallRules, OneRulePerListenerAndAllowedCidr) {
    json lb = {{"id", "lb"},
               {"listeners",
                json::array(
                    {{{"protocol", "HTTP"},
                      {"protocol_port", 80},
                      {"allowed_cidrs", json::array({"10.0.0.0/8", "fd00::/64"})}},
                     {{"protocol", "TERMINATED_HTTPS"},
                      {"protocol_port", 443},
                      {"allowed_cidrs", nullptr}},
                     {{"protocol", "UDP"}, {"protocol_port", 53}, {"allowed_cidrs", json::array()}},
                     {{"protocol", "SCTP"},
                      {"protocol_port", 3868},
                      {"allowed_cidrs", json::array({"192.0.2.0/24"})}},
                     {{"protocol", "PROMETHEUS"}, {"protocol_port", 9100}}})}};
    const json expected = json::parse(R"([
        {"protocol": "TCP", "cidr": "10.0.0.0/8", "port": 80},
        {"protocol": "TCP", "cidr": "fd00::/64", "port": 80},
        {"protocol": "TCP", "cidr": null, "port": 443},
        {"protocol": "UDP", "cidr": null, "port": 53},
        {"protocol": "SCTP", "cidr": "192.0.2.0/24", "port": 3868},
        {"protocol": "TCP", "cidr": null, "port": 9100}
    ])");
    EXPECT_EQ(amphora_firewall_rules(lb, {}), expected);
}

TEST(FirewallRules, NoListenersNoRulesAndVrrpPeers) {
    EXPECT_EQ(amphora_firewall_rules({{"listeners", json::array()}}, {}), json::array());
    const json expected = json::parse(R"([
        {"protocol": "VRRP", "cidr": "192.0.2.11/32", "port": 112},
        {"protocol": "TCP", "cidr": "192.0.2.11/32", "port": 1025},
        {"protocol": "VRRP", "cidr": "fd00::11/128", "port": 112},
        {"protocol": "TCP", "cidr": "fd00::11/128", "port": 1025}
    ])");
    EXPECT_EQ(amphora_firewall_rules(json::object(), {"192.0.2.11", "fd00::11"}), expected);
}

}  // namespace
}  // namespace octane::drivers
