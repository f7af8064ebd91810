#include "linuxbridge/port_plug.h"

#include <gtest/gtest.h>

namespace octane::linuxbridge {
namespace {

using nlohmann::json;

std::map<std::string, json> subnets() {
    return {{"s1", {{"id", "s1"}, {"cidr", "192.168.101.0/24"}, {"gateway_ip", "192.168.101.1"}}},
            {"mgmt", {{"id", "mgmt"}, {"cidr", "10.0.0.0/24"}, {"gateway_ip", nullptr}}}};
}

json port(const std::string& owner, const std::string& device_id, const std::string& subnet,
          const std::string& address) {
    return {{"id", "26632aea-3c11-4b38-9a6c-7f4f0b9e2a10"},
            {"network_id", "net"},
            {"mac_address", "fa:16:3e:bb:f5:60"},
            {"device_owner", owner},
            {"device_id", device_id},
            {"fixed_ips", json::array({{{"subnet_id", subnet}, {"ip_address", address}}})}};
}

TEST(PortPlug, AmphoraVrrpPortCarriesItsAddressWithPrefixAndTheVipAsHostRoute) {
    json p = port("Octavia", "amp", "s1", "192.168.101.69");
    p["binding:host_id"] = "host-2";
    p["binding:profile"] = {{"netns", "amphora-haproxy-amp"},
                            {"device", "eth1"},
                            {"default_route", true},
                            {"vip_addresses", {"192.168.101.219"}}};
    auto plug = plug_of(p, subnets());
    ASSERT_TRUE(plug);
    EXPECT_EQ(plug->host, 2);
    EXPECT_EQ(plug->netns, "amphora-haproxy-amp");
    EXPECT_EQ(plug->device, "eth1");
    EXPECT_EQ(plug->host_device, "tap26632aea-3c");
    EXPECT_EQ(plug->mac, "fa:16:3e:bb:f5:60");
    EXPECT_EQ(plug->addresses, std::vector<std::string>{"192.168.101.69/24"});
    EXPECT_EQ(plug->vip_addresses, std::vector<std::string>{"192.168.101.219/32"});
    EXPECT_EQ(plug->default_gateway, "192.168.101.1");
    EXPECT_FALSE(plug->router_port);
}

TEST(PortPlug, RouterPortsGoToTheRouterNamespaceOnTheNetworkNode) {
    auto inside = plug_of(port("network:router_interface", "r1", "s1", "192.168.101.1"), subnets());
    ASSERT_TRUE(inside);
    EXPECT_EQ(inside->netns, "qrouter-r1");
    EXPECT_EQ(inside->device, "qr-26632aea-3c");
    EXPECT_EQ(inside->host, kNetworkNodeHost);
    EXPECT_TRUE(inside->default_gateway.empty());
    auto gateway = plug_of(port("network:router_gateway", "r1", "s1", "192.168.101.5"), subnets());
    ASSERT_TRUE(gateway);
    EXPECT_EQ(gateway->device, "qg-26632aea-3c");
    EXPECT_EQ(gateway->default_gateway, "192.168.101.1");
}

TEST(PortPlug, ControllerPortIsOhm0InTheRootNamespace) {
    auto plug = plug_of(port("Octavia:health-mgr", "c", "mgmt", "10.0.0.1"), subnets());
    ASSERT_TRUE(plug);
    EXPECT_EQ(plug->netns, "");
    EXPECT_EQ(plug->device, "o-hm0");
    EXPECT_EQ(plug->host_device, "o-bhm0");
    EXPECT_EQ(plug->addresses, std::vector<std::string>{"10.0.0.1/24"});
    EXPECT_TRUE(plug->default_gateway.empty());  // the management subnet has no gateway
}

TEST(PortPlug, UnboundPortsAreNotPlugged) {
    EXPECT_FALSE(plug_of(port("Octavia", "lb-1", "s1", "192.168.101.219"), subnets()));  // a VIP
    EXPECT_FALSE(plug_of(port("", "", "s1", "192.168.101.7"), subnets()));
    EXPECT_FALSE(plug_of(port("network:router_interface", "", "s1", "192.168.101.1"), subnets()));
}

TEST(PortPlug, AddressOnSubnetUsesTheSubnetPrefix) {
    EXPECT_EQ(address_on_subnet("2001:db8::5", "2001:db8::/64"), "2001:db8::5/64");
    EXPECT_EQ(address_on_subnet("10.1.2.3", "bogus"), "10.1.2.3/32");
}

}  // namespace
}  // namespace octane::linuxbridge
