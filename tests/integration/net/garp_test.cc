#include "net/garp.h"

#include <chrono>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>

#include "net/arp_frame.h"
#include "net/links.h"
#include "net/netns.h"
#include "net/unique_fd.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::NetnsTest;

// An ARP-only capture socket bound to dev, opened inside ns.
UniqueFd arp_capture(const std::string& ns, const std::string& dev, int ifindex) {
    UniqueFd sock;
    auto made = in_netns(ns, [&]() -> Result<void> {
        sock.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP)));
        sockaddr_ll at{};
        at.sll_family = AF_PACKET;
        at.sll_protocol = htons(ETH_P_ARP);
        at.sll_ifindex = ifindex;
        if (!sock.valid() || ::bind(sock.get(), reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
            return make_error("capture socket on " + dev);
        }
        return {};
    });
    EXPECT_TRUE(made) << made.error().message;
    return sock;
}

// The first ARP frame announcing ip within the deadline.
std::optional<ArpPacket> receive_arp_for(int sock, const std::string& ip) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (int frames = 0; frames < 100 && std::chrono::steady_clock::now() < deadline; ++frames) {
        pollfd entry{sock, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (::poll(&entry, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) != 1) {
            return std::nullopt;
        }
        uint8_t buffer[1600];
        const ssize_t got = ::recv(sock, buffer, sizeof buffer, 0);
        if (got <= 0) {
            return std::nullopt;
        }
        auto packet = parse_arp_frame(std::span<const uint8_t>(buffer, static_cast<size_t>(got)));
        if (packet && packet->sender_ip == ip) {
            return packet;
        }
    }
    return std::nullopt;
}

TEST_F(NetnsTest, GratuitousArpReachesThePeer) {
    const std::string router = make_netns("garp-router");
    const std::string segment = make_netns("garp-segment");
    ASSERT_TRUE(add_veth(router, "qg-garp0", segment, "tapgarp0", "", 0));
    ASSERT_TRUE(set_up(router, "qg-garp0"));
    ASSERT_TRUE(set_up(segment, "tapgarp0"));
    auto sender = find_link(router, "qg-garp0");
    auto receiver = find_link(segment, "tapgarp0");
    ASSERT_TRUE(sender && sender->has_value() && receiver && receiver->has_value());

    UniqueFd capture = arp_capture(segment, "tapgarp0", (*receiver)->ifindex);
    ASSERT_TRUE(capture.valid());
    auto sent = send_gratuitous_arp(router, "qg-garp0", "203.0.113.77");
    ASSERT_TRUE(sent) << sent.error().message;

    auto packet = receive_arp_for(capture.get(), "203.0.113.77");
    ASSERT_TRUE(packet.has_value()) << "no gratuitous ARP within 5 s";
    EXPECT_EQ(packet->operation, 1);
    EXPECT_EQ(format_mac(packet->sender_mac), (*sender)->mac);
    EXPECT_EQ(format_mac(packet->ethernet_source), (*sender)->mac);
    EXPECT_EQ(packet->target_ip, "203.0.113.77");
    EXPECT_EQ(format_mac(packet->ethernet_destination), "ff:ff:ff:ff:ff:ff");
}

TEST_F(NetnsTest, GratuitousArpErrorsNameTheDevice) {
    const std::string ns = make_netns("garp-err");
    ASSERT_TRUE(add_veth(ns, "garpdown0", ns, "garpdown1", "", 0));
    auto down = send_gratuitous_arp(ns, "garpdown0", "192.0.2.1");
    ASSERT_FALSE(down);
    EXPECT_NE(down.error().message.find("garpdown0"), std::string::npos) << down.error().message;
    EXPECT_FALSE(send_gratuitous_arp(ns, "nosuchdev", "192.0.2.1"));
    ASSERT_TRUE(set_up(ns, "garpdown0"));
    EXPECT_FALSE(send_gratuitous_arp(ns, "garpdown0", "2001:db8::1"));
}

}  // namespace
}  // namespace octane::net
