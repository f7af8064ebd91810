// allowed_cidrs on an amphora against the real kernel: the agent's rules loaded into a namespace
// the test makes (standing in for amphora-haproxy-<id>), TCP connections from an allowed and a
// disallowed source address of another namespace. Needs root (skips, saying so, otherwise).

#include "agent/interface_firewall.h"

#include <chrono>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "../net/netns_fixture.h"
#include "agent/interface_rules.h"
#include "net/addresses.h"
#include "net/links.h"
#include "net/netns.h"
#include "net/nft.h"
#include "net/unique_fd.h"

namespace octane::agent {
namespace {

using net::UniqueFd;
using net::testing::count_occurrences;

constexpr const char* kVrrpIp = "10.77.0.1";
constexpr const char* kAllowed = "10.77.0.2";
constexpr const char* kOther = "10.77.0.3";
// Long enough for a SYN/SYN-ACK between two namespaces of one host, many times over.
constexpr int kConnectWaitMs = 700;

sockaddr_in address_of(const std::string& ip, uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    return a;
}

bool wait_for(int fd, short events, int timeout_ms) {
    pollfd p{fd, events, 0};
    return ::poll(&p, 1, timeout_ms) == 1 && (p.revents & events) != 0;
}

wire::InterfaceRule tcp(std::optional<std::string> cidr, int port) {
    wire::InterfaceRule r;
    r.protocol = "TCP";
    r.cidr = std::move(cidr);
    r.port = port;
    return r;
}

class InterfaceFirewallTest : public net::testing::NetnsTest {
  protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        amphora_ = make_netns("amp");
        client_ = make_netns("cli");
        ASSERT_TRUE(net::add_veth(amphora_, "eth1", client_, "c0", "", 0));
        ASSERT_TRUE(net::add_address(amphora_, "eth1", std::string(kVrrpIp) + "/24"));
        ASSERT_TRUE(net::add_address(client_, "c0", std::string(kAllowed) + "/24"));
        ASSERT_TRUE(net::add_address(client_, "c0", std::string(kOther) + "/24"));
        const std::pair<std::string, std::string> ends[] = {{amphora_, "eth1"}, {client_, "c0"}};
        for (const auto& [ns, dev] : ends) {
            ASSERT_TRUE(net::set_up(ns, "lo"));
            ASSERT_TRUE(net::set_up(ns, dev));
        }
        // A veth is operational once both ends are up.
        for (const auto& [ns, dev] : ends) {
            ASSERT_TRUE(net::wait_until_operational(ns, dev, std::chrono::seconds(3)));
        }
        listeners_[0] = listen_on(8080);
        listeners_[1] = listen_on(8081);
    }

    UniqueFd listen_on(uint16_t port) {
        UniqueFd fd;
        auto made = net::in_netns(amphora_, [&]() -> Result<void> {
            fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
            int on = 1;
            ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
            auto at = address_of(kVrrpIp, port);
            if (!fd.valid() || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 ||
                ::listen(fd.get(), 16) != 0) {
                return make_error("listen on " + std::to_string(port));
            }
            return {};
        });
        EXPECT_TRUE(made) << made.error().message;
        return fd;
    }

    // A TCP connection from source to the VRRP address; invalid when it is not established in
    // kConnectWaitMs (a dropped SYN gets no answer at all).
    UniqueFd connect_from(const std::string& source, uint16_t port) {
        UniqueFd fd;
        auto ran = net::in_netns(client_, [&]() -> Result<void> {
            fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
            auto from = address_of(source, 0);
            auto to = address_of(kVrrpIp, port);
            if (!fd.valid() ||
                ::bind(fd.get(), reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
                return make_error("bind " + source);
            }
            ::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to);
            return {};
        });
        EXPECT_TRUE(ran) << ran.error().message;
        int error = -1;
        socklen_t size = sizeof error;
        if (!wait_for(fd.get(), POLLOUT, kConnectWaitMs) ||
            ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
            fd.reset();
        }
        return fd;
    }

    bool connects(const std::string& source, uint16_t port) {
        return connect_from(source, port).valid();
    }

    void enforce(const std::vector<wire::InterfaceRule>& rules) {
        auto outcome = enforce_interface_rules(amphora_, kVrrpIp, rules);
        ASSERT_EQ(outcome.status, 200) << outcome.message << ": " << outcome.details;
    }

    std::string amphora_;
    std::string client_;
    UniqueFd listeners_[2];
};

TEST_F(InterfaceFirewallTest, AllowedCidrsAdmitOnlyTheirSourcesOnTheirPorts) {
    // Without rules everything is open: what the rules close below is not closed otherwise.
    EXPECT_TRUE(connects(kOther, 8080));

    enforce({tcp("10.77.0.2/32", 8080)});
    EXPECT_TRUE(connects(kAllowed, 8080));
    EXPECT_FALSE(connects(kOther, 8080));
    EXPECT_FALSE(connects(kAllowed, 8081)) << "a port of no rule is closed";

    // A null cidr (a listener without allowed_cidrs) admits every source.
    enforce({tcp("10.77.0.2/32", 8080), tcp(std::nullopt, 8081)});
    EXPECT_TRUE(connects(kOther, 8081));
    EXPECT_TRUE(connects(kAllowed, 8081));
    EXPECT_FALSE(connects(kOther, 8080));

    auto ruleset = net::nft_list_ruleset(amphora_);
    ASSERT_TRUE(ruleset) << ruleset.error().message;
    EXPECT_EQ(count_occurrences(*ruleset, "table inet amphora_table"), 1u) << *ruleset;
    EXPECT_EQ(count_occurrences(*ruleset, "policy drop"), 1u) << *ruleset;
    auto root = net::nft_list_ruleset("");
    ASSERT_TRUE(root) << root.error().message;
    EXPECT_EQ(root->find("amphora_vip_chain"), std::string::npos) << "the host is untouched";
}

TEST_F(InterfaceFirewallTest, AnUpdateReplacesTheRulesAndKeepsEstablishedConnections) {
    enforce({tcp("10.77.0.2/32", 8080)});
    UniqueFd established = connect_from(kAllowed, 8080);
    ASSERT_TRUE(established.valid());

    // listener set --allowed-cidr to the other address only.
    enforce({tcp("10.77.0.3/32", 8080)});
    EXPECT_TRUE(connects(kOther, 8080));
    EXPECT_FALSE(connects(kAllowed, 8080));

    // The connection made before the update still carries data (ct state established).
    ASSERT_EQ(::send(established.get(), "x", 1, MSG_NOSIGNAL), 1);
    ASSERT_TRUE(wait_for(listeners_[0].get(), POLLIN, 2000));
    UniqueFd accepted;
    for (int i = 0; i < 8 && !accepted.valid(); ++i) {  // the earlier probes queued first
        UniqueFd next(::accept4(listeners_[0].get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!next.valid()) {
            break;
        }
        sockaddr_in peer{};
        socklen_t size = sizeof peer;
        ::getpeername(next.get(), reinterpret_cast<sockaddr*>(&peer), &size);
        sockaddr_in mine{};
        size = sizeof mine;
        ::getsockname(established.get(), reinterpret_cast<sockaddr*>(&mine), &size);
        if (peer.sin_addr.s_addr == mine.sin_addr.s_addr && peer.sin_port == mine.sin_port) {
            accepted = std::move(next);
        }
    }
    ASSERT_TRUE(accepted.valid());
    ASSERT_TRUE(wait_for(accepted.get(), POLLIN, 2000));
    char byte = 0;
    EXPECT_EQ(::recv(accepted.get(), &byte, 1, 0), 1);
    EXPECT_EQ(byte, 'x');
}

TEST_F(InterfaceFirewallTest, DeletionsAsOctavia) {
    enforce({tcp("10.77.0.2/32", 8080), tcp(std::nullopt, 8081)});
    // The listener on 8081 deleted: its port closes.
    enforce({tcp("10.77.0.2/32", 8080)});
    EXPECT_FALSE(connects(kOther, 8081));
    // allowed_cidrs unset on the other: every source again.
    enforce({tcp(std::nullopt, 8080)});
    EXPECT_TRUE(connects(kOther, 8080));
    // The last listener deleted: Octavia's agent keeps the rules it has.
    enforce({});
    EXPECT_TRUE(connects(kOther, 8080));
    EXPECT_FALSE(connects(kOther, 8081));
}

TEST_F(InterfaceFirewallTest, EmptyRulesOnAFreshAmphoraCloseTheVip) {
    enforce({});
    EXPECT_FALSE(connects(kAllowed, 8080));
}

TEST_F(InterfaceFirewallTest, RefusalsLeaveTheLoadedRules) {
    enforce({tcp("10.77.0.2/32", 8080)});
    auto before = net::nft_list_ruleset(amphora_);
    ASSERT_TRUE(before);
    EXPECT_EQ(enforce_interface_rules(amphora_, "10.77.0.99", {tcp(std::nullopt, 8080)}).status,
              404);
    EXPECT_EQ(enforce_interface_rules(amphora_, kVrrpIp, {tcp("10.77.0.0/40", 8080)}).status, 400);
    auto after = net::nft_list_ruleset(amphora_);
    ASSERT_TRUE(after);
    EXPECT_EQ(*before, *after);
    EXPECT_FALSE(connects(kOther, 8080));
}

TEST_F(InterfaceFirewallTest, WithoutAnEngineNamespaceNothingIsLoaded) {
    auto before = net::nft_list_ruleset("");
    ASSERT_TRUE(before);
    EXPECT_EQ(enforce_interface_rules("", "127.10.0.5", {tcp("10.0.0.0/8", 80)}).status, 200);
    EXPECT_EQ(enforce_interface_rules("", "127.10.0.5", {tcp("10.0.0.0/99", 80)}).status, 400);
    auto after = net::nft_list_ruleset("");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->find("amphora_table"), std::string::npos);
}

}  // namespace
}  // namespace octane::agent
