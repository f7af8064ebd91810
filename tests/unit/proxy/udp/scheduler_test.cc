#include "proxy/udp/scheduler.h"

#include <set>

#include <gtest/gtest.h>

namespace octane::proxy::udp {
namespace {

VirtualServer two_servers(const std::string& algo) {
    VirtualServer vs;
    vs.lb_algo = algo;
    vs.real_servers.resize(2);
    return vs;
}

ClientKey client(uint8_t last, uint16_t port = 1000) {
    return ClientKey{std::string("\x0a\x00\x00", 3) + static_cast<char>(last), port};
}

Scheduler all_up(const VirtualServer& vs) {
    Scheduler s(vs);
    for (int i = 0; i < s.size(); ++i) {
        s.set_up(i, true);
    }
    return s;
}

TEST(Scheduler, RoundRobinAlternatesAndSkipsDownServers) {
    auto s = all_up(two_servers("wrr"));
    EXPECT_NE(*s.pick(client(1), 0), *s.pick(client(2), 0));
    s.set_up(0, false);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(s.pick(client(static_cast<uint8_t>(10 + i)), 0), 1);
    }
    s.set_up(1, false);
    EXPECT_FALSE(s.pick(client(20), 0).has_value());
}

TEST(Scheduler, WeightZeroDrains) {
    auto vs = two_servers("rr");
    vs.real_servers[0].weight = 0;
    auto s = all_up(vs);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(s.pick(client(static_cast<uint8_t>(i)), 0), 1);
    }
}

TEST(Scheduler, LeastConnectionsCountsFlows) {
    auto s = all_up(two_servers("lc"));
    int first = *s.pick(client(1), 0);
    int second = *s.pick(client(2), 0);
    EXPECT_NE(first, second);
    s.release(first);
    EXPECT_EQ(s.pick(client(3), 0), first);
    EXPECT_EQ(s.flows(first), 1);
}

TEST(Scheduler, SourceHashIgnoresThePortUnlessShPort) {
    auto s = all_up(two_servers("sh"));
    int a = *s.pick(client(7, 1), 0);
    for (uint16_t port = 2; port < 40; ++port) {
        EXPECT_EQ(s.pick(client(7, port), 0), a);
    }
    auto vs = two_servers("sh");
    vs.sh_port = true;
    auto sp = all_up(vs);
    std::set<int> seen;
    for (uint16_t port = 1; port < 40; ++port) {
        seen.insert(*sp.pick(client(7, port), 0));
    }
    EXPECT_EQ(seen.size(), 2u);
}

TEST(Scheduler, PersistenceKeepsTheClientNetworkUntilItExpires) {
    auto vs = two_servers("wrr");
    vs.persistence_timeout_s = 10;
    vs.persistence_granularity = "255.255.255.0";
    auto s = all_up(vs);
    int a = *s.pick(client(1), 0);
    EXPECT_EQ(s.pick(client(2), 1000), a);  // same /24
    EXPECT_EQ(s.pick(client(3), 5000), a);
    s.expire(20000);
    EXPECT_EQ(s.persistence_records(), 0u);
    s.set_up(a, false);
    EXPECT_NE(s.pick(client(1), 20000), a);
}

TEST(Scheduler, UthresholdCapsFlows) {
    auto vs = two_servers("wrr");
    vs.real_servers[0].uthreshold = 1;
    vs.real_servers[1].uthreshold = 1;
    auto s = all_up(vs);
    ASSERT_TRUE(s.pick(client(1), 0));
    ASSERT_TRUE(s.pick(client(2), 0));
    EXPECT_FALSE(s.pick(client(3), 0).has_value());
}

TEST(Scheduler, GranularityMask) {
    EXPECT_EQ(granularity_mask("255.255.0.0", 4), std::string("\xff\xff\x00\x00", 4));
    EXPECT_EQ(granularity_mask("12", 4), std::string("\xff\xf0\x00\x00", 4));
    EXPECT_EQ(granularity_mask("128", 16), std::string(16, '\xff'));
    EXPECT_FALSE(granularity_mask("129", 16).has_value());
    EXPECT_FALSE(granularity_mask("a.b", 4).has_value());
}

}  // namespace
}  // namespace octane::proxy::udp
