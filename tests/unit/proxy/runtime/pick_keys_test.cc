// SOURCE_IP_PORT in the engine: the backend's `balance hash src,concat(:,txn.src_port)` turned into
// pick keys, through the map-based and the consistent hash balancers (docs/haproxy-dialect.md §3).

#include "proxy/runtime/pick_keys.h"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "proxy/config/parser.h"

namespace octane::proxy {
namespace {

using balance::HashType;

config::ProxySection backend(const std::string& lines) {
    auto out = config::parse_config({config::SourceFile{"t.cfg", "backend be\n" + lines}});
    EXPECT_TRUE(out.diag.ok()) << out.diag.errors()[0];
    return out.config.proxies.at(0);
}

const std::string kSourceIpPort =
    "  tcp-request content set-var(txn.src_port) src_port\n"
    "  balance hash src,concat(:,txn.src_port)\n";

Endpoint peer(const std::string& text) {
    auto e = parse_endpoint(text);
    EXPECT_TRUE(e.has_value()) << text;
    return e ? *e : Endpoint{};
}

// The balancer of a backend with `balance hash` (or `source`) and the given hash-type.
std::unique_ptr<balance::Balancer> balancer(HashType a, std::vector<balance::ServerSpec> specs) {
    auto b = balance::make_balancer(balance::Algorithm::kHash, a, std::move(specs), false);
    for (int i = 0; i < b->size(); ++i) {
        b->set_up(i, true);
    }
    return b;
}

int pick(balance::Balancer& b, const config::ProxySection& be, const std::string& client) {
    auto p = b.pick(pick_keys(be, false, peer(client), -1).ctx);
    return p ? *p : -1;
}

// Ports of one client address, the way a client's ephemeral ports vary.
std::vector<std::string> one_client_ports(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
        out.push_back("198.51.100.7:" + std::to_string(32768 + i * 7));
    }
    return out;
}

TEST(SourceIpPort, SameAddressAndPortSameMemberAndPortsSpread) {
    config::ProxySection be = backend(kSourceIpPort);
    for (HashType a : {HashType::kMapBased, HashType::kConsistent}) {
        auto b = balancer(a, {{1}, {1}, {1}});
        std::map<int, int> count;
        for (const std::string& client : one_client_ports(3000)) {
            int first = pick(*b, be, client);
            EXPECT_EQ(pick(*b, be, client), first) << client;
            count[first]++;
        }
        for (int s = 0; s < 3; ++s) {
            EXPECT_GT(count[s], 700) << "server " << s << ", hash-type " << balance::name_of(a);
        }
    }
}

TEST(SourceIpPort, SourceAloneIgnoresThePort) {
    // The contrast: `balance source` keeps every port of a client on one member.
    config::ProxySection be = backend("  balance source\n");
    auto b = balancer(HashType::kMapBased, {{1}, {1}, {1}});
    std::set<int> used;
    for (const std::string& client : one_client_ports(200)) {
        used.insert(pick(*b, be, client));
    }
    EXPECT_EQ(used.size(), 1u);
}

TEST(SourceIpPort, WeightsAreRespected) {
    config::ProxySection be = backend(kSourceIpPort);
    for (HashType a : {HashType::kMapBased, HashType::kConsistent}) {
        auto b = balancer(a, {{3}, {1}, {0}});
        std::map<int, int> count;
        for (const std::string& client : one_client_ports(4000)) {
            count[pick(*b, be, client)]++;
        }
        EXPECT_EQ(count[2], 0);  // weight 0 drains
        EXPECT_GT(count[0], 2 * count[1]) << static_cast<int>(a);
        EXPECT_LT(count[0], 4 * count[1]) << static_cast<int>(a);
    }
}

TEST(SourceIpPort, MemberDownRehashesOntoTheOthers) {
    config::ProxySection be = backend(kSourceIpPort);
    for (HashType a : {HashType::kMapBased, HashType::kConsistent}) {
        auto b = balancer(a, {{1}, {1}, {1}});
        std::vector<std::string> clients = one_client_ports(900);
        std::vector<int> before;
        for (const std::string& client : clients) {
            before.push_back(pick(*b, be, client));
        }
        b->set_up(1, false);
        int moved_from_up = 0;
        std::map<int, int> count;
        for (size_t i = 0; i < clients.size(); ++i) {
            int now = pick(*b, be, clients[i]);
            EXPECT_NE(now, 1);
            count[now]++;
            moved_from_up += before[i] != 1 && now != before[i] ? 1 : 0;
        }
        EXPECT_GT(count[0], 300);
        EXPECT_GT(count[2], 300);
        if (a == HashType::kConsistent) {
            EXPECT_EQ(moved_from_up, 0);  // only the lost member's clients move
        }
    }
}

TEST(SourceIpPort, StickKeyStaysTheAddress) {
    config::ProxySection be = backend(kSourceIpPort);
    PickKeys k = pick_keys(be, true, peer("[2001:db8::5]:4242"), 2);
    ASSERT_NE(k.stick_key(), nullptr);
    EXPECT_EQ(*k.stick_key(), "2001:db8::5");
    EXPECT_EQ(k.ctx.avoid, 2);
    EXPECT_EQ(pick_keys(be, false, peer("10.0.0.1:1"), -1).stick_key(), nullptr);
    // Round robin needs no key at all.
    EXPECT_EQ(pick_keys(backend("  balance roundrobin\n"), false, peer("10.0.0.1:1"), -1).ctx.hash,
              0u);
}

}  // namespace
}  // namespace octane::proxy
