#include "agent/request_validation.h"

#include <gtest/gtest.h>

namespace octane::agent {
namespace {

TEST(RequestValidation, SafeIds) {
    struct Case {
        const char* id;
        bool ok;
    } cases[] = {
        {"0b5c7a1e-3f55-4a4e-9d3b-6f1f0f6c2a11", true},
        {"lb_1", true},
        {"", false},
        {".", false},
        {"..", false},
        {"a/b", false},
        {"a.b", false},
        {"a b", false},
        {"01234567890123456789012345678901234567890123456789012345678901234", false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(is_safe_id(c.id), c.ok) << c.id;
    }
}

TEST(RequestValidation, CertificateFilenames) {
    struct Case {
        const char* name;
        bool ok;
    } cases[] = {
        {"abc.pem", true},   {"a-b_c.d.pem", true}, {".pem", false},        {"abc.crt", false},
        {"../x.pem", false}, {"a/b.pem", false},    {".hidden.pem", false}, {"pem", false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(is_certificate_filename(c.name), c.ok) << c.name;
    }
}

TEST(RequestValidation, Actions) {
    EXPECT_EQ(parse_lb_action("start"), LbAction::kStart);
    EXPECT_EQ(parse_lb_action("stop"), LbAction::kStop);
    EXPECT_EQ(parse_lb_action("reload"), LbAction::kReload);
    EXPECT_FALSE(parse_lb_action("restart"));
    EXPECT_FALSE(parse_lb_action("START"));
}

TEST(RequestValidation, InterfaceRules) {
    auto ok = validate_interface_rules(nlohmann::json::parse(
        R"([{"protocol": "TCP", "cidr": "10.0.0.0/8", "port": 80},
            {"protocol": "VRRP", "cidr": null, "port": 112}])"));
    ASSERT_TRUE(ok) << ok.error().message;
    ASSERT_EQ(ok->size(), 2u);
    EXPECT_EQ((*ok)[0].cidr, "10.0.0.0/8");
    EXPECT_FALSE((*ok)[1].cidr.has_value());
    const char* bad[] = {
        R"({"protocol": "TCP"})",
        R"([{"protocol": "ICMP", "cidr": null, "port": 1}])",
        R"([{"protocol": "TCP", "cidr": null}])",
        R"([{"protocol": "TCP", "cidr": null, "port": 0}])",
        R"([{"protocol": "TCP", "cidr": null, "port": 65536}])",
        R"([{"protocol": "TCP", "cidr": null, "port": "80"}])",
        R"([{"protocol": "TCP", "cidr": 5, "port": 80}])",
        R"([{"protocol": "TCP", "cidr": null, "port": 80, "extra": 1}])",
        R"([42])",
    };
    for (const char* text : bad) {
        EXPECT_FALSE(validate_interface_rules(nlohmann::json::parse(text))) << text;
    }
}

TEST(RequestValidation, Endpoints) {
    auto v4 = parse_endpoint("127.0.0.1:5555");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "127.0.0.1");
    EXPECT_EQ(v4->port, 5555);
    auto v6 = parse_endpoint("[::1]:5555");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_FALSE(parse_endpoint("127.0.0.1"));
    EXPECT_FALSE(parse_endpoint("127.0.0.1:0"));
    EXPECT_FALSE(parse_endpoint("127.0.0.1:70000"));
    EXPECT_FALSE(parse_endpoint("host:80"));
    auto list = parse_endpoint_list(" 127.0.0.1:1, [::1]:2 ,");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->size(), 2u);
}

}  // namespace
}  // namespace octane::agent
