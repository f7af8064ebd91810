#include "net/arp_frame.h"

#include <gtest/gtest.h>

namespace octane::net {
namespace {

TEST(Mac, ParsesAndFormatsRoundTrip) {
    auto mac = parse_mac("FA:16:3e:0a:0B:ff");
    ASSERT_TRUE(mac.has_value());
    EXPECT_EQ((*mac)[0], 0xfa);
    EXPECT_EQ((*mac)[5], 0xff);
    EXPECT_EQ(format_mac(*mac), "fa:16:3e:0a:0b:ff");
}

TEST(Mac, RejectsMalformedText) {
    EXPECT_FALSE(parse_mac("").has_value());
    EXPECT_FALSE(parse_mac("fa:16:3e:0a:0b").has_value());
    EXPECT_FALSE(parse_mac("fa:16:3e:0a:0b:ff:00").has_value());
    EXPECT_FALSE(parse_mac("fa-16-3e-0a-0b-ff").has_value());
    EXPECT_FALSE(parse_mac("fg:16:3e:0a:0b:ff").has_value());
    EXPECT_FALSE(parse_mac(" a:16:3e:0a:0b:ff").has_value());
    EXPECT_FALSE(parse_mac("-1:16:3e:0a:0b:ff").has_value());
}

TEST(GratuitousArp, IsABroadcastRequestAnnouncingTheAddress) {
    const MacAddress mac = {0xfa, 0x16, 0x3e, 0x01, 0x02, 0x03};
    auto frame = gratuitous_arp_frame(mac, "192.0.2.77");
    ASSERT_TRUE(frame.has_value());
    ASSERT_EQ(frame->size(), kArpFrameSize);
    auto packet = parse_arp_frame(*frame);
    ASSERT_TRUE(packet.has_value());
    EXPECT_EQ(packet->operation, 1);
    EXPECT_EQ(packet->sender_mac, mac);
    EXPECT_EQ(packet->sender_ip, "192.0.2.77");
    EXPECT_EQ(packet->target_ip, "192.0.2.77");
    EXPECT_EQ(packet->target_mac, MacAddress{});
    EXPECT_EQ(format_mac(packet->ethernet_destination), "ff:ff:ff:ff:ff:ff");
    EXPECT_EQ(packet->ethernet_source, mac);
    // EtherType ARP on the wire, in network order.
    EXPECT_EQ((*frame)[12], 0x08);
    EXPECT_EQ((*frame)[13], 0x06);
}

TEST(GratuitousArp, RefusesNonIpv4Addresses) {
    const MacAddress mac = {};
    EXPECT_FALSE(gratuitous_arp_frame(mac, "2001:db8::1").has_value());
    EXPECT_FALSE(gratuitous_arp_frame(mac, "192.0.2").has_value());
    EXPECT_FALSE(gratuitous_arp_frame(mac, "").has_value());
}

TEST(ParseArpFrame, RejectsShortAndNonArpFrames) {
    const MacAddress mac = {1, 2, 3, 4, 5, 6};
    auto frame = *gratuitous_arp_frame(mac, "10.0.0.1");
    std::vector<uint8_t> short_frame(frame.begin(), frame.end() - 1);
    EXPECT_FALSE(parse_arp_frame(short_frame).has_value());
    auto ipv4_frame = frame;
    ipv4_frame[13] = 0x00;  // EtherType 0x0800
    EXPECT_FALSE(parse_arp_frame(ipv4_frame).has_value());
    auto ipv6_payload = frame;
    ipv6_payload[17] = 0xdd;  // protocol type no longer IPv4
    EXPECT_FALSE(parse_arp_frame(ipv6_payload).has_value());
}

}  // namespace
}  // namespace octane::net
