#include "linuxbridge/names.h"

#include <gtest/gtest.h>

namespace octane::linuxbridge {
namespace {

// The seed's devices: network c08e7dcd-4acb-…, port 26632aea-3c…, VNI 267.
TEST(LinuxbridgeNames, FollowNeutronPrefixesAndElevenIdCharacters) {
    EXPECT_EQ(bridge_name("c08e7dcd-4acb-4cd0-ad08-ebd3b48467ee"), "brqc08e7dcd-4a");
    EXPECT_EQ(tap_name("26632aea-3c11-4b38-9a6c-7f4f0b9e2a10"), "tap26632aea-3c");
    EXPECT_EQ(vxlan_name(267), "vxlan-267");
    EXPECT_EQ(router_interface_name("9d34b34b-3f00-4000-8000-000000000000"), "qr-9d34b34b-3f");
    EXPECT_EQ(router_gateway_name("9d34b34b-3f00-4000-8000-000000000000"), "qg-9d34b34b-3f");
    EXPECT_EQ(router_namespace("r1"), "qrouter-r1");
}

TEST(LinuxbridgeNames, DeviceNamesFitTheKernelLimit) {
    const std::string id = "0123456789abcdef-0123-4567-89ab-cdef01234567";
    for (const auto& name : {bridge_name(id), tap_name(id), router_interface_name(id),
                             router_gateway_name(id), vxlan_name(16777215)}) {
        EXPECT_LE(name.size(), 15u) << name;
    }
}

TEST(LinuxbridgeNames, DriverNamespacesAreRecognisedAndOthersAreNot) {
    EXPECT_TRUE(is_driver_namespace(host_namespace(2)));
    EXPECT_TRUE(is_driver_namespace(amphora_engine_namespace("a")));
    EXPECT_TRUE(is_driver_namespace(instance_namespace("web1")));
    EXPECT_TRUE(is_driver_namespace("qrouter-x"));
    EXPECT_FALSE(is_driver_namespace("scratch"));
    EXPECT_FALSE(is_driver_namespace("qdhcp-x"));
}

}  // namespace
}  // namespace octane::linuxbridge
