#include "net/garp.h"

#include <chrono>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>

#include "net/addresses.h"
#include "net/arp_frame.h"
#include "net/links.h"
#include "net/neighbours.h"
#include "net/netns.h"
#include "net/unique_fd.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::NetnsTest;
using testing::send_datagram;

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

bool must_find_operational(const std::string& ns, const std::string& dev) {
    auto link = find_link(ns, dev);
    return link && link->has_value() && (*link)->operational;
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

// The router's MAC for address, as `ip neigh` shows it, or "".
std::string neighbour_mac(const std::string& ns, const std::string& dev, const std::string& ip) {
    const auto shown =
        testing::run_command("ip netns exec " + ns + " ip -j neigh show dev " + dev + " to " + ip);
    if (shown.status != 0) {
        return {};
    }
    auto entries = nlohmann::json::parse(shown.output, nullptr, false);
    if (!entries.is_array() || entries.empty() || !entries[0].contains("lladdr")) {
        return {};
    }
    return entries[0]["lladdr"].get<std::string>();
}

// Polls neighbour_mac until it is want (bounded); returns the last value seen.
std::string wait_for_neighbour(const std::string& ns, const std::string& dev, const std::string& ip,
                               const std::string& want) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    std::string seen;
    for (int tries = 0; tries < 300 && std::chrono::steady_clock::now() < deadline; ++tries) {
        seen = neighbour_mac(ns, dev, ip);
        if (seen == want) {
            break;
        }
        poll(nullptr, 0, 10);
    }
    return seen;
}

// Failover as the linuxbridge driver does it: the VIP moves to a new port (new MAC) on the same
// bridge; the router, whose neighbour entry still names the dead port, must learn the new MAC
// from the announcement sent right after the plug. A veth whose peer comes up last has its
// bridge port forwarding only once the link watcher ran: announcing before that loses the frame
// and leaves the router sending to the dead MAC for up to a minute.
TEST_F(NetnsTest, GratuitousArpAfterPlugMovesTheRoutersNeighbour) {
    const std::string host = make_netns("garp-host");
    const std::string router = make_netns("garp-qrouter");
    const std::string old_amphora = make_netns("garp-old");
    const std::string new_amphora = make_netns("garp-new");
    const std::string vip = "10.77.0.50";
    ASSERT_TRUE(add_bridge(host, "brqgarp", 0));
    const auto plug = [&](const std::string& ns, const std::string& tap, const std::string& dev,
                          const std::string& mac, const std::string& cidr) {
        ASSERT_TRUE(add_veth(host, tap, ns, dev, mac, 0));
        ASSERT_TRUE(set_master(host, tap, "brqgarp"));
        ASSERT_TRUE(set_up(host, tap));
        ASSERT_TRUE(add_address(ns, dev, cidr));
        ASSERT_TRUE(set_up(ns, dev));
    };
    plug(router, "tapgarprtr", "qr-garp", "fa:16:3e:00:00:01", "10.77.0.1/24");
    plug(old_amphora, "tapgarpold", "eth1", "fa:16:3e:00:00:0a", vip + "/24");
    ASSERT_TRUE(wait_until_operational(host, "tapgarpold", std::chrono::seconds(3)));
    ASSERT_TRUE(wait_until_operational(host, "tapgarprtr", std::chrono::seconds(3)));
    send_datagram(router, vip, 9);
    ASSERT_EQ(wait_for_neighbour(router, "qr-garp", vip, "fa:16:3e:00:00:0a"), "fa:16:3e:00:00:0a");

    ASSERT_TRUE(delete_link(host, "tapgarpold"));  // the old amphora is gone
    plug(new_amphora, "tapgarpnew", "eth1", "fa:16:3e:00:00:0b", vip + "/24");
    auto ready = wait_until_operational(host, "tapgarpnew", std::chrono::seconds(3));
    ASSERT_TRUE(ready) << ready.error().message;
    EXPECT_TRUE(must_find_operational(host, "tapgarpnew"));
    ASSERT_TRUE(send_gratuitous_arp(new_amphora, "eth1", vip));
    EXPECT_EQ(wait_for_neighbour(router, "qr-garp", vip, "fa:16:3e:00:00:0b"), "fa:16:3e:00:00:0b");
}

TEST_F(NetnsTest, DeletedNeighbourIsResolvedAfresh) {
    const std::string router = make_netns("neigh-router");
    const std::string vm = make_netns("neigh-vm");
    ASSERT_TRUE(add_veth(router, "qr-neigh", vm, "eth0", "fa:16:3e:00:00:2a", 0));
    ASSERT_TRUE(add_address(router, "qr-neigh", "10.66.0.1/24"));
    ASSERT_TRUE(add_address(vm, "eth0", "10.66.0.2/24"));
    ASSERT_TRUE(set_up(router, "qr-neigh"));
    ASSERT_TRUE(set_up(vm, "eth0"));
    ASSERT_TRUE(wait_until_operational(router, "qr-neigh", std::chrono::seconds(3)));
    send_datagram(router, "10.66.0.2", 9);
    ASSERT_EQ(wait_for_neighbour(router, "qr-neigh", "10.66.0.2", "fa:16:3e:00:00:2a"),
              "fa:16:3e:00:00:2a");

    auto deleted = delete_neighbours(router, "10.66.0.2");
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_EQ(*deleted, 1u);
    EXPECT_EQ(neighbour_mac(router, "qr-neigh", "10.66.0.2"), "");
    auto again = delete_neighbours(router, "10.66.0.2");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, 0u);
    EXPECT_FALSE(delete_neighbours(router, "not-an-address"));
}

TEST_F(NetnsTest, WaitUntilOperationalFollowsThePeer) {
    const std::string ns = make_netns("oper");
    ASSERT_TRUE(add_veth(ns, "operA", ns, "operB", "", 0));
    ASSERT_TRUE(set_up(ns, "operA"));
    // operB is down: operA has no carrier and never becomes operational.
    auto waited = wait_until_operational(ns, "operA", std::chrono::milliseconds(200));
    ASSERT_FALSE(waited);
    EXPECT_NE(waited.error().message.find("operA"), std::string::npos) << waited.error().message;
    EXPECT_FALSE(must_find_operational(ns, "operA"));
    ASSERT_TRUE(set_up(ns, "operB"));
    auto ready = wait_until_operational(ns, "operA", std::chrono::seconds(3));
    EXPECT_TRUE(ready) << ready.error().message;
    EXPECT_TRUE(must_find_operational(ns, "operA"));
    EXPECT_FALSE(wait_until_operational(ns, "nosuchdev", std::chrono::milliseconds(100)));
}

}  // namespace
}  // namespace octane::net
