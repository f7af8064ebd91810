#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/addresses.h"
#include "net/fdb.h"
#include "net/links.h"
#include "net/netns.h"
#include "net/unique_fd.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::count_occurrences;
using testing::NetnsTest;
using testing::run_command;

constexpr uint32_t kVni = 1001;
const std::string kBridge = "brq6a303139-3b";
const std::string kVxlan = "vxlan-1001";

struct Host {
    std::string ns;        // the simulated compute host
    std::string underlay;  // its end on the underlay bridge
    std::string local_ip;  // VTEP address on ul0
    std::string vm;        // the instance namespace
    std::string tap;       // host side of the instance's veth
    std::string mac;       // instance MAC
    std::string fixed_ip;  // instance address
};

void expect_ok(const Result<void>& result, const std::string& what) {
    EXPECT_TRUE(result) << what << ": " << result.error().message;
}

// Underlay end, bridge + VXLAN of the network, and one instance behind a tap.
void plug_host(const std::string& underlay_ns, const Host& host) {
    expect_ok(add_veth(host.ns, "ul0", underlay_ns, host.underlay, "", 0), "underlay veth");
    expect_ok(set_master(underlay_ns, host.underlay, "br-ul"), "enslave underlay end");
    expect_ok(set_up(underlay_ns, host.underlay), "underlay end up");
    expect_ok(set_up(host.ns, "ul0"), "ul0 up");
    expect_ok(add_address(host.ns, "ul0", host.local_ip + "/24"), "VTEP address");

    expect_ok(add_bridge(host.ns, kBridge, 0), "network bridge");
    VxlanSpec spec;
    spec.name = kVxlan;
    spec.vni = kVni;
    spec.local_ip = host.local_ip;
    spec.parent = "ul0";
    expect_ok(add_vxlan(host.ns, spec), "vxlan");
    expect_ok(add_vxlan(host.ns, spec), "vxlan again");
    expect_ok(set_master(host.ns, kVxlan, kBridge), "enslave vxlan");

    expect_ok(add_veth(host.ns, host.tap, host.vm, "eth0", host.mac, 1450), "instance veth");
    expect_ok(set_master(host.ns, host.tap, kBridge), "enslave tap");
    expect_ok(set_up(host.ns, host.tap), "tap up");
    expect_ok(set_up(host.vm, "eth0"), "eth0 up");
    expect_ok(add_address(host.vm, "eth0", host.fixed_ip + "/24"), "instance address");
}

LinkInfo link_in(const std::string& ns, const std::string& name) {
    auto links = list_links(ns);
    if (links) {
        for (const auto& link : *links) {
            if (link.name == name) {
                return link;
            }
        }
    }
    ADD_FAILURE() << name << " not listed in " << ns;
    return {};
}

// A socket made inside ns stays in ns; the test then uses it from its own namespace.
UniqueFd tcp_socket_in(const std::string& ns) {
    UniqueFd sock;
    auto made = in_netns(ns, [&]() -> Result<void> {
        sock.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        return {};
    });
    EXPECT_TRUE(made && sock.valid());
    return sock;
}

sockaddr_in ipv4_endpoint(const std::string& ip, uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
    return address;
}

bool wait_for(int fd, short events, int timeout_ms) {
    pollfd entry{fd, events, 0};
    return ::poll(&entry, 1, timeout_ms) == 1 && (entry.revents & events) != 0;
}

TEST_F(NetnsTest, TcpBetweenInstancesOnTwoHostsCrossesVxlan) {
    const std::string underlay = make_netns("underlay");
    const Host a{make_netns("hosta"), "ul-a",     "192.0.2.1", make_netns("vma"), "tapaaaaaaaa-aa",
                 "fa:16:3e:00:00:0a", "10.0.0.10"};
    const Host b{make_netns("hostb"), "ul-b",     "192.0.2.2", make_netns("vmb"), "tapbbbbbbbb-bb",
                 "fa:16:3e:00:00:0b", "10.0.0.11"};
    expect_ok(add_bridge(underlay, "br-ul", 0), "underlay bridge");
    plug_host(underlay, a);
    plug_host(underlay, b);
    ASSERT_FALSE(HasFailure());

    for (const Host* host : {&a, &b}) {
        const LinkInfo vxlan = link_in(host->ns, kVxlan);
        EXPECT_EQ(vxlan.kind, "vxlan");
        EXPECT_EQ(vxlan.master, kBridge);
        EXPECT_TRUE(vxlan.up);
        EXPECT_EQ(vxlan.mtu, 1450);
        const LinkInfo tap = link_in(host->ns, host->tap);
        EXPECT_EQ(tap.kind, "veth");
        EXPECT_EQ(tap.master, kBridge);
        EXPECT_EQ(link_in(host->ns, kBridge).kind, "bridge");
        const LinkInfo eth0 = link_in(host->vm, "eth0");
        EXPECT_EQ(eth0.mac, host->mac);
        EXPECT_EQ(eth0.kind, "veth");
        EXPECT_EQ(eth0.mtu, 1450);
        EXPECT_EQ(link_in(underlay, host->underlay).master, "br-ul");
    }
    const auto shown = run_command("ip netns exec " + a.ns + " ip -d -j link show dev " + kVxlan);
    ASSERT_EQ(shown.status, 0) << shown.output;
    const auto info = nlohmann::json::parse(shown.output).at(0)["linkinfo"]["info_data"];
    EXPECT_EQ(info["id"], kVni) << info.dump();
    EXPECT_EQ(info["group"], "224.0.0.1") << info.dump();
    EXPECT_EQ(info["local"], a.local_ip) << info.dump();
    EXPECT_EQ(info["port"], 8472) << info.dump();
    EXPECT_EQ(info["learning"], true) << info.dump();

    // Listener in instance B, client in instance A.
    UniqueFd listener = tcp_socket_in(b.vm);
    const sockaddr_in listen_at = ipv4_endpoint(b.fixed_ip, 5678);
    ASSERT_EQ(
        ::bind(listener.get(), reinterpret_cast<const sockaddr*>(&listen_at), sizeof listen_at), 0);
    ASSERT_EQ(::listen(listener.get(), 4), 0);
    UniqueFd client = tcp_socket_in(a.vm);
    const int connected =
        ::connect(client.get(), reinterpret_cast<const sockaddr*>(&listen_at), sizeof listen_at);
    ASSERT_TRUE(connected == 0 || errno == EINPROGRESS);
    ASSERT_TRUE(wait_for(client.get(), POLLOUT, 10000)) << "connect did not finish in 10 s";
    int error = -1;
    socklen_t length = sizeof error;
    ASSERT_EQ(::getsockopt(client.get(), SOL_SOCKET, SO_ERROR, &error, &length), 0);
    ASSERT_EQ(error, 0) << std::strerror(error);
    ASSERT_TRUE(wait_for(listener.get(), POLLIN, 5000));
    UniqueFd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(accepted.valid());
    ASSERT_EQ(::send(client.get(), "ping", 4, MSG_NOSIGNAL), 4);
    ASSERT_TRUE(wait_for(accepted.get(), POLLIN, 5000));
    char got[8] = {};
    ASSERT_EQ(::recv(accepted.get(), got, sizeof got, 0), 4);
    EXPECT_EQ(std::string(got, 4), "ping");

    // Host A's VXLAN learned instance B's MAC behind B's VTEP: the traffic was tunnelled.
    const auto fdb = run_command("ip netns exec " + a.ns + " bridge fdb show dev " + kVxlan);
    EXPECT_NE(fdb.output.find(b.mac + " dst " + b.local_ip), std::string::npos) << fdb.output;

    // l2population-style flooding entry: appended once however often it is asked for.
    const std::string flood = "00:00:00:00:00:00 dst " + b.local_ip;
    const auto before = run_command("ip netns exec " + a.ns + " bridge fdb show dev " + kVxlan);
    EXPECT_EQ(count_occurrences(before.output, flood), 0u) << before.output;
    expect_ok(fdb_append(a.ns, kVxlan, "00:00:00:00:00:00", b.local_ip), "fdb append");
    expect_ok(fdb_append(a.ns, kVxlan, "00:00:00:00:00:00", b.local_ip), "fdb append again");
    const auto after = run_command("ip netns exec " + a.ns + " bridge fdb show dev " + kVxlan);
    EXPECT_EQ(count_occurrences(after.output, flood), 1u) << after.output;
    EXPECT_FALSE(fdb_append(a.ns, kVxlan, "not-a-mac", b.local_ip));
    EXPECT_FALSE(fdb_append(a.ns, "nosuchvxlan", "00:00:00:00:00:00", b.local_ip));
}

TEST_F(NetnsTest, VxlanWithOtherVniUnderTheSameNameIsRefused) {
    const std::string ns = make_netns("vni");
    ASSERT_TRUE(add_veth(ns, "ul0", ns, "ul0peer", "", 0));
    VxlanSpec spec;
    spec.name = "vxlan-7";
    spec.vni = 7;
    spec.parent = "ul0";
    auto added = add_vxlan(ns, spec);
    ASSERT_TRUE(added) << added.error().message;
    spec.vni = 8;
    auto clash = add_vxlan(ns, spec);
    ASSERT_FALSE(clash);
    EXPECT_NE(clash.error().message.find("vxlan-7"), std::string::npos);
    spec.name = "vxlan-9";
    spec.parent = "nosuchparent";
    auto no_parent = add_vxlan(ns, spec);
    ASSERT_FALSE(no_parent);
    EXPECT_NE(no_parent.error().message.find("nosuchparent"), std::string::npos);
}

}  // namespace
}  // namespace octane::net
