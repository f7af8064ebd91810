#include "wire/agent_types.h"

#include <gtest/gtest.h>

namespace octane::wire {
namespace {

using json = nlohmann::json;

TEST(AgentTypes, PlugVipRoundTrip) {
    PlugVipRequest v;
    v.subnet_cidr = "10.0.0.0/24";
    v.gateway = "10.0.0.1";
    v.mac_address = "fa:16:3e:00:00:01";
    v.mtu = 1450;
    v.host_routes = {{"10.0.0.254", "192.168.0.0/16"}};
    v.additional_vips = {{"2001:db8::/64", "2001:db8::5", "", {}}};
    auto back = plug_vip_from_json(json::parse(to_json(v).dump()));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->subnet_cidr, v.subnet_cidr);
    EXPECT_EQ(back->mtu, 1450);
    EXPECT_EQ(back->host_routes.at(0).destination, "192.168.0.0/16");
    EXPECT_EQ(back->additional_vips.at(0).ip_address, "2001:db8::5");
    EXPECT_EQ(to_json(v)["gateway"], "10.0.0.1");
    EXPECT_TRUE(to_json(v)["additional_vips"][0]["gateway"].is_null());
}

TEST(AgentTypes, PlugVipRequiresFields) {
    EXPECT_FALSE(plug_vip_from_json(json::parse(R"({"mac_address":"x"})")).has_value());
    EXPECT_FALSE(plug_vip_from_json(json::parse(R"({"subnet_cidr":"x"})")).has_value());
    EXPECT_FALSE(plug_vip_from_json(json::array()).has_value());
}

TEST(AgentTypes, ListenerEntryAndInfo) {
    json entry = to_json(ListenerStatusEntry{"ACTIVE", "lb-1", "TCP"});
    EXPECT_EQ(entry.dump(), R"({"status":"ACTIVE","type":"TCP","uuid":"lb-1"})");
    EXPECT_EQ(listener_status_from_json(entry)->uuid, "lb-1");
    auto info = agent_info_from_json(json::parse(R"({"hostname":"h","api_version":"1.0"})"));
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->api_version, "1.0");
}

TEST(AgentTypes, MessageDetailsMayBeText) {
    auto m = agent_message_from_json(
        json::parse(R"({"message":"Invalid request","details":"[ALERT] bad"})"));
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->details, "[ALERT] bad");
}

TEST(AgentTypes, InterfaceRuleValidation) {
    auto ok = interface_rule_from_json(json::parse(R"({"protocol":"TCP","cidr":null,"port":80})"));
    ASSERT_TRUE(ok.has_value());
    EXPECT_FALSE(ok->cidr.has_value());
    EXPECT_FALSE(interface_rule_from_json(json::parse(R"({"protocol":"ICMP","port":1})")));
    EXPECT_FALSE(interface_rule_from_json(json::parse(R"({"protocol":"TCP","port":0})")));
    EXPECT_EQ(to_json(InterfaceRule{"UDP", "10.0.0.0/8", 53})["cidr"], "10.0.0.0/8");
}

}  // namespace
}  // namespace octane::wire
