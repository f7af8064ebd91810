#include "networking/vip_port.h"

#include <gtest/gtest.h>

namespace octane::networking {
namespace {

using nlohmann::json;

json port(json fixed_ips, const std::string& device_id = "") {
    return {{"id", "p1"}, {"device_id", device_id}, {"fixed_ips", std::move(fixed_ips)}};
}

const json kDualStack = json::array({{{"subnet_id", "v4"}, {"ip_address", "10.0.0.5"}},
                                     {{"subnet_id", "v6"}, {"ip_address", "fd00::5"}}});

TEST(VipPort, APortInUseIsRefused) {
    EXPECT_TRUE(check_port_unused(port(kDualStack)).has_value());
    auto used = check_port_unused(port(kDualStack, "lb-42"));
    ASSERT_FALSE(used.has_value());
    EXPECT_EQ(used.error().message, "Validation failure: Port p1 is already used by device lb-42 ");
    EXPECT_EQ(used.error().code, 400);
}

TEST(VipPort, SubnetPicksItsFixedIp) {
    auto v6 = choose_vip_fixed_ip(port(kDualStack), std::string("v6"), std::nullopt);
    ASSERT_TRUE(v6.has_value());
    EXPECT_EQ(v6->ip_address, "fd00::5");
    auto none = choose_vip_fixed_ip(port(kDualStack), std::string("other"), std::nullopt);
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().message,
              "Validation failure: No VIP address found on the specified VIP port within the "
              "specified subnet.");
}

TEST(VipPort, AddressIsComparedAsAnAddress) {
    auto found = choose_vip_fixed_ip(port(kDualStack), std::nullopt, std::string("fd00:0::5"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->subnet_id, "v6");
    auto missing = choose_vip_fixed_ip(port(kDualStack), std::nullopt, std::string("10.0.0.6"));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message,
              "Validation failure: Specified VIP address not found on the specified VIP port.");
}

TEST(VipPort, OnlyASingleFixedIpNeedsNoHint) {
    auto single =
        choose_vip_fixed_ip(port(json::array({kDualStack[0]})), std::nullopt, std::nullopt);
    ASSERT_TRUE(single.has_value());
    EXPECT_EQ(single->ip_address, "10.0.0.5");
    for (const json& ips : {kDualStack, json::array()}) {
        auto ambiguous = choose_vip_fixed_ip(port(ips), std::nullopt, std::nullopt);
        ASSERT_FALSE(ambiguous.has_value());
        EXPECT_EQ(ambiguous.error().message,
                  "Validation failure: VIP port's subnet could not be determined. Please specify "
                  "either a VIP subnet or address.");
    }
}

}  // namespace
}  // namespace octane::networking
