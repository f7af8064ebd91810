#include "agent/interface_rules.h"

#include <gtest/gtest.h>

namespace octane::agent {
namespace {

wire::InterfaceRule rule(const std::string& protocol, std::optional<std::string> cidr, int port) {
    wire::InterfaceRule r;
    r.protocol = protocol;
    r.cidr = std::move(cidr);
    r.port = port;
    return r;
}

TEST(InterfaceRules, NormalizeCidr) {
    EXPECT_EQ(normalize_cidr("10.0.0.0/8").value(), "10.0.0.0/8");
    EXPECT_EQ(normalize_cidr("10.1.2.3/8").value(), "10.0.0.0/8");
    EXPECT_EQ(normalize_cidr("192.0.2.7").value(), "192.0.2.7/32");
    EXPECT_EQ(normalize_cidr("0.0.0.0/0").value(), "0.0.0.0/0");
    EXPECT_EQ(normalize_cidr("2001:db8::1/32").value(), "2001:db8::/32");
    EXPECT_EQ(normalize_cidr("::/0").value(), "::/0");
    EXPECT_EQ(normalize_cidr("fd00::5").value(), "fd00::5/128");
    for (const char* bad :
         {"", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "fd00::/129", "10.0.0.0/8 accept",
          "10.0.0.0/8; flush ruleset", "x", "10.0.0.0/-1", "10.0.0.0/0008"}) {
        EXPECT_FALSE(normalize_cidr(bad)) << bad;
    }
}

TEST(InterfaceRules, RendersOctaviasLayoutAsOneReplaceBatch) {
    auto text =
        render_interface_rules({rule("TCP", "10.0.0.0/8", 80), rule("UDP", std::nullopt, 53),
                                rule("SCTP", "fd00::/64", 3868), rule("TCP", "0.0.0.0/0", 443)},
                               "eth1");
    ASSERT_TRUE(text) << text.error().message;
    const std::string expected =
        "table inet amphora_table\n"
        "delete table inet amphora_table\n"
        "table inet amphora_table {\n"
        "\tchain amphora_chain {\n"
        "\t\ttype filter hook input priority filter; policy drop;\n"
        "\t\tct state vmap { established : accept, related : accept, invalid : drop }\n"
        "\t\tiif \"lo\" accept\n"
        "\t\tip saddr 127.0.0.0/8 drop\n"
        "\t\tip6 saddr ::1 drop\n"
        "\t\ticmp type destination-unreachable accept\n"
        "\t\ticmpv6 type { nd-neighbor-solicit, nd-router-advert, nd-neighbor-advert, "
        "packet-too-big, destination-unreachable } accept\n"
        "\t\tudp sport 67 udp dport 68 accept\n"
        "\t\tudp sport 547 udp dport 546 accept\n"
        "\t\tiifname \"eth1\" goto amphora_vip_chain\n"
        "\t}\n"
        "\tchain amphora_vip_chain {\n"
        "\t\tip saddr 10.0.0.0/8 tcp dport 80 accept\n"
        "\t\tudp dport 53 accept\n"
        "\t\tip6 saddr fd00::/64 sctp dport 3868 accept\n"
        "\t\ttcp dport 443 accept\n"
        "\t}\n"
        "}\n";
    EXPECT_EQ(*text, expected);
}

TEST(InterfaceRules, VrrpFromPeersOverBothFamilies) {
    auto text = render_interface_rules(
        {rule("VRRP", "192.0.2.11/32", 112), rule("VRRP", "fd00::11/128", 112)}, "eth1");
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_NE(text->find("\t\tip saddr 192.0.2.11/32 meta l4proto 112 accept\n"), std::string::npos)
        << *text;
    EXPECT_NE(text->find("\t\tip6 saddr fd00::11/128 meta l4proto 112 accept\n"), std::string::npos)
        << *text;
}

TEST(InterfaceRules, NoRulesLeaveTheVipChainEmpty) {
    auto text = render_interface_rules({}, "eth1");
    ASSERT_TRUE(text);
    EXPECT_NE(text->find("\tchain amphora_vip_chain {\n\t}\n"), std::string::npos) << *text;
    EXPECT_NE(text->find("policy drop;"), std::string::npos);
}

TEST(InterfaceRules, RefusesWhatWouldChangeTheBatch) {
    EXPECT_FALSE(render_interface_rules({rule("TCP", "10.0.0.0/8 accept\n", 80)}, "eth1"));
    EXPECT_FALSE(render_interface_rules({rule("ICMP", std::nullopt, 80)}, "eth1"));
    EXPECT_FALSE(render_interface_rules({}, "eth1\" accept"));
    EXPECT_FALSE(render_interface_rules({}, ""));
    EXPECT_FALSE(render_interface_rules({}, "a-very-long-interface-name"));
}

}  // namespace
}  // namespace octane::agent
