#include "model/field_validation.h"

#include <gtest/gtest.h>

#include "model/resource_specs.h"

namespace octane::model {
namespace {

using nlohmann::json;

struct BadBody {
    const char* name;
    json body;
    std::string message;
};

class ListenerPostRejects : public ::testing::TestWithParam<BadBody> {};

TEST_P(ListenerPostRejects, WithWsmeWording) {
    auto result =
        validate_fields(listener_spec(), GetParam().body, Mode::kPost, "listener_.listener");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().status, 400);
    EXPECT_EQ(result.error().message, GetParam().message);
}

const std::string kLb = "b1996dc1-6621-4d35-a32f-34e56a8d438f";

INSTANTIATE_TEST_SUITE_P(
    Cases, ListenerPostRejects,
    ::testing::Values(
        BadBody{"port_too_high",
                {{"protocol", "TCP"}, {"protocol_port", 70000}, {"loadbalancer_id", kLb}},
                "Invalid input for field/attribute protocol_port. Value: '70000'. Value should be "
                "lower or equal to 65535"},
        BadBody{"port_zero",
                {{"protocol", "TCP"}, {"protocol_port", 0}, {"loadbalancer_id", kLb}},
                "Invalid input for field/attribute protocol_port. Value: '0'. Value should be "
                "greater or equal to 1"},
        BadBody{"missing_lb",
                {{"protocol", "TCP"}, {"protocol_port", 24}},
                "Invalid input for field/attribute loadbalancer_id. Value: 'None'. Mandatory "
                "field missing."},
        BadBody{
            "unknown_attribute",
            {{"protocol", "TCP"}, {"protocol_port", 24}, {"loadbalancer_id", kLb}, {"bogus", 1}},
            "Unknown attribute for argument listener_.listener: bogus"},
        BadBody{"bad_uuid",
                {{"protocol", "TCP"}, {"protocol_port", 24}, {"loadbalancer_id", "selfservice"}},
                "Invalid input for field/attribute loadbalancer_id. Value: 'selfservice'. Value "
                "should be UUID format"},
        BadBody{"port_as_string",
                {{"protocol", "TCP"}, {"protocol_port", "x"}, {"loadbalancer_id", kLb}},
                "Invalid input for field/attribute protocol_port. Value: 'x'. Wrong type. "
                "Expected '<class 'int'>', got '<class 'str'>'"},
        BadBody{"name_too_long",
                {{"protocol", "TCP"},
                 {"protocol_port", 24},
                 {"loadbalancer_id", kLb},
                 {"name", std::string(256, 'a')}},
                "Invalid input for field/attribute name. Value: '" + std::string(256, 'a') +
                    "'. Value should have a maximum character requirement of 255"}),
    [](const auto& info) { return info.param.name; });

TEST(ListenerPost, FillsOctaviaDefaults) {
    auto result = validate_fields(
        listener_spec(), {{"protocol", "TCP"}, {"protocol_port", 22}, {"loadbalancer_id", kLb}},
        Mode::kPost, "listener_.listener");
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ((*result)["connection_limit"], -1);
    EXPECT_EQ((*result)["timeout_client_data"], 50000);
    EXPECT_EQ((*result)["timeout_member_connect"], 5000);
    EXPECT_EQ((*result)["admin_state_up"], true);
    EXPECT_EQ((*result)["insert_headers"], json::object());
    EXPECT_EQ((*result)["client_authentication"], "NONE");
    EXPECT_TRUE((*result)["default_pool_id"].is_null());
}

TEST(ListenerPost, NumericStringsBecomeIntegersAsInWsme) {
    auto result = validate_fields(listener_spec(),
                                  {{"protocol", "TCP"},
                                   {"protocol_port", "80"},
                                   {"loadbalancer_id", kLb},
                                   {"connection_limit", " -1 "}},
                                  Mode::kPost, "listener_.listener");
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ((*result)["protocol_port"], json(80));
    EXPECT_EQ((*result)["connection_limit"], json(-1));
    for (const char* bad : {"70000", "99999999999999999999999", "0x50", "8 0", "", "-"}) {
        auto refused =
            validate_fields(listener_spec(),
                            {{"protocol", "TCP"}, {"protocol_port", bad}, {"loadbalancer_id", kLb}},
                            Mode::kPost, "listener_.listener");
        EXPECT_FALSE(refused.has_value()) << bad;
    }
}

TEST(ListenerPost, RejectsUnknownProtocolListingTheChoices) {
    auto result = validate_fields(
        listener_spec(), {{"protocol", "FOO"}, {"protocol_port", 22}, {"loadbalancer_id", kLb}},
        Mode::kPost, "listener_.listener");
    ASSERT_FALSE(result.has_value());
    EXPECT_NE(result.error().message.find("Value: 'FOO'. Value should be one of: "),
              std::string::npos);
    EXPECT_NE(result.error().message.find("TERMINATED_HTTPS"), std::string::npos);
}

TEST(Put, OnlyChangedFieldsAndNullResetsDefault) {
    auto result = validate_fields(listener_spec(), {{"connection_limit", nullptr}, {"name", "x"}},
                                  Mode::kPut, "listener_.listener");
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->size(), 2u);
    EXPECT_EQ((*result)["connection_limit"], -1);
    EXPECT_EQ((*result)["name"], "x");
}

TEST(Put, ImmutableFieldIsUnknown) {
    auto result =
        validate_fields(listener_spec(), {{"protocol", "HTTP"}}, Mode::kPut, "listener_.listener");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message,
              "Unknown attribute for argument listener_.listener: protocol");
}

TEST(Put, HealthMonitorDelayNullRejected) {
    auto result = validate_fields(health_monitor_spec(), {{"delay", nullptr}}, Mode::kPut, "hm");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().status, 400);
}

TEST(Values, MemberAddressMustBeAnIp) {
    auto result =
        validate_fields(member_spec(), {{"address", "192.168.101.300"}, {"protocol_port", 22}},
                        Mode::kPost, "member_.member");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message,
              "Invalid input for field/attribute address. Value: '192.168.101.300'. Value should "
              "be IPv4 or IPv6 format");
}

TEST(Values, BooleansAcceptOsloStrings) {
    FieldSpec f{"admin_state_up", FieldType::kBool, OnPost::kOptional, OnPut::kOptional};
    EXPECT_EQ(*validate_value(f, "True"), json(true));
    EXPECT_EQ(*validate_value(f, "off"), json(false));
    EXPECT_FALSE(validate_value(f, "maybe").has_value());
}

TEST(Unwrap, RequiresTheWrapperAndNothingElse) {
    EXPECT_FALSE(unwrap(json::array(), "loadbalancer", "load_balancer").has_value());
    auto extra =
        unwrap({{"loadbalancer", json::object()}, {"x", 1}}, "loadbalancer", "load_balancer");
    ASSERT_FALSE(extra.has_value());
    EXPECT_EQ(extra.error().message, "Unknown attribute for argument load_balancer: x");
    auto missing = unwrap(json::object(), "loadbalancer", "load_balancer");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message,
              "Invalid input for field/attribute loadbalancer. Value: 'None'. Mandatory field "
              "missing.");
}

}  // namespace
}  // namespace octane::model
