#include "net/netns_path.h"

#include <gtest/gtest.h>

namespace octane::net {
namespace {

TEST(NetnsPath, AcceptsNamesIproute2Accepts) {
    EXPECT_TRUE(valid_netns_name("qrouter-6a303139-3b1c-4d2e-9f00-000000000001"));
    EXPECT_TRUE(valid_netns_name("amp-1-haproxy"));
    EXPECT_EQ(netns_path("host-1"), "/run/netns/host-1");
}

TEST(NetnsPath, RejectsNamesThatLeaveTheDirectory) {
    EXPECT_FALSE(valid_netns_name(""));
    EXPECT_FALSE(valid_netns_name("."));
    EXPECT_FALSE(valid_netns_name(".."));
    EXPECT_FALSE(valid_netns_name("a/b"));
    EXPECT_FALSE(valid_netns_name(std::string("a\0b", 3)));
    EXPECT_FALSE(valid_netns_name(std::string(256, 'x')));
    EXPECT_TRUE(valid_netns_name(std::string(255, 'x')));
}

TEST(SysctlPath, DotsBecomeSlashes) {
    EXPECT_EQ(sysctl_path("net.ipv4.ip_forward"), "/proc/sys/net/ipv4/ip_forward");
    EXPECT_EQ(sysctl_path("net.ipv4.conf.all.arp_ignore"),
              "/proc/sys/net/ipv4/conf/all/arp_ignore");
}

TEST(SysctlPath, SlashFormKeepsDotsOfDeviceNames) {
    EXPECT_EQ(sysctl_path("net/ipv4/conf/eth0.100/rp_filter"),
              "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
}

TEST(SysctlPath, RejectsKeysLeavingProcSys) {
    EXPECT_EQ(sysctl_path(""), "");
    EXPECT_EQ(sysctl_path("net..ipv4"), "");
    EXPECT_EQ(sysctl_path(".net"), "");
    EXPECT_EQ(sysctl_path("net."), "");
    EXPECT_EQ(sysctl_path("net/../../etc/passwd"), "");
    EXPECT_EQ(sysctl_path("/etc/passwd"), "");
    EXPECT_EQ(sysctl_path("net/./ipv4"), "");
}

}  // namespace
}  // namespace octane::net
