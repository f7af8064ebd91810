// Pick sequences of each algorithm against the order HAProxy documents for the same config.

#include "proxy/balance/balancer.h"

#include <map>

#include <gtest/gtest.h>

namespace octane::proxy::balance {
namespace {

std::unique_ptr<Balancer> make(Algorithm a, std::vector<ServerSpec> specs,
                               bool allbackups = false) {
    auto b = make_balancer(a, std::move(specs), allbackups);
    for (int i = 0; i < b->size(); ++i) {
        b->set_up(i, true);
    }
    return b;
}

std::vector<int> picks(Balancer& b, int n, bool hold = false) {
    std::vector<int> out;
    for (int i = 0; i < n; ++i) {
        auto p = b.pick({});
        out.push_back(p ? *p : -1);
        if (p && hold) {
            b.take(*p);
        }
    }
    return out;
}

TEST(RoundRobin, EqualWeightsAlternateFromTheFirstServer) {
    auto b = make(Algorithm::kRoundRobin, {{1}, {1}});
    EXPECT_EQ(picks(*b, 6), (std::vector<int>{0, 1, 0, 1, 0, 1}));
}

TEST(RoundRobin, WeightsInterleaveSmoothly) {
    auto b = make(Algorithm::kRoundRobin, {{3}, {1}});
    EXPECT_EQ(picks(*b, 8), (std::vector<int>{0, 0, 1, 0, 0, 0, 1, 0}));
    auto c = make(Algorithm::kRoundRobin, {{10}, {5}});
    std::map<int, int> count;
    for (int p : picks(*c, 300)) {
        count[p]++;
    }
    EXPECT_EQ(count[0], 200);
    EXPECT_EQ(count[1], 100);
}

TEST(RoundRobin, WeightZeroDrainsAndDownIsSkipped) {
    auto b = make(Algorithm::kRoundRobin, {{1}, {0}, {1}});
    EXPECT_EQ(picks(*b, 4), (std::vector<int>{0, 2, 0, 2}));
    b->set_up(0, false);
    EXPECT_EQ(picks(*b, 3), (std::vector<int>{2, 2, 2}));
    b->set_up(2, false);
    EXPECT_EQ(picks(*b, 1), (std::vector<int>{-1}));
}

TEST(Backups, UsedOnlyWhenNoActiveServerIsUp) {
    auto b = make(Algorithm::kRoundRobin, {{1}, {1, true}, {1, true}});
    EXPECT_EQ(picks(*b, 3), (std::vector<int>{0, 0, 0}));
    b->set_up(0, false);
    EXPECT_EQ(picks(*b, 3), (std::vector<int>{1, 1, 1}));  // first backup only
    b->set_up(0, true);
    EXPECT_EQ(picks(*b, 2), (std::vector<int>{0, 0}));
}

TEST(Backups, AllBackupsShareTheLoad) {
    auto b = make(Algorithm::kRoundRobin, {{1}, {1, true}, {1, true}}, true);
    b->set_up(0, false);
    EXPECT_EQ(picks(*b, 4), (std::vector<int>{1, 2, 1, 2}));
}

TEST(RoundRobin, AvoidSendsARetryElsewhere) {
    auto b = make(Algorithm::kRoundRobin, {{1}, {1}});
    PickContext ctx;
    ctx.avoid = 0;
    EXPECT_EQ(*b->pick(ctx), 1);
    EXPECT_EQ(*b->pick(ctx), 1);
    auto single = make(Algorithm::kRoundRobin, {{1}});
    EXPECT_EQ(*single->pick(ctx), 0);  // nothing else: same server
}

TEST(LeastConn, PicksFewestConnectionsPerWeight) {
    auto b = make(Algorithm::kLeastConn, {{1}, {1}, {1}});
    EXPECT_EQ(picks(*b, 3, true), (std::vector<int>{0, 1, 2}));
    b->drop(1);
    EXPECT_EQ(*b->pick({}), 1);
    auto w = make(Algorithm::kLeastConn, {{10}, {5}});
    std::map<int, int> count;
    for (int p : picks(*w, 30, true)) {
        count[p]++;
    }
    EXPECT_EQ(count[0], 20);
    EXPECT_EQ(count[1], 10);
}

TEST(LeastConn, TiesRotate) {
    auto b = make(Algorithm::kLeastConn, {{1}, {1}});
    EXPECT_EQ(picks(*b, 4), (std::vector<int>{0, 1, 0, 1}));
}

TEST(Source, SameClientSameServerAndSpread) {
    for (Algorithm a : {Algorithm::kSource, Algorithm::kSourceConsistent}) {
        auto b = make(a, {{1}, {1}, {1}});
        std::map<int, int> count;
        for (int ip = 0; ip < 3000; ++ip) {
            uint8_t addr[4] = {10, 0, static_cast<uint8_t>(ip >> 8), static_cast<uint8_t>(ip)};
            PickContext ctx;
            ctx.hash = hash_source(addr, 4);
            int first = *b->pick(ctx);
            EXPECT_EQ(*b->pick(ctx), first);
            count[first]++;
        }
        for (int s = 0; s < 3; ++s) {
            EXPECT_GT(count[s], 600) << static_cast<int>(a);
        }
    }
}

TEST(Source, ConsistentHashMovesOnlyTheLostServersClients) {
    auto b = make(Algorithm::kSourceConsistent, {{1}, {1}, {1}});
    std::vector<int> before;
    for (int ip = 0; ip < 1000; ++ip) {
        uint8_t addr[4] = {192, 168, static_cast<uint8_t>(ip >> 8), static_cast<uint8_t>(ip)};
        PickContext ctx;
        ctx.hash = hash_source(addr, 4);
        before.push_back(*b->pick(ctx));
    }
    b->set_up(2, false);
    for (int ip = 0; ip < 1000; ++ip) {
        uint8_t addr[4] = {192, 168, static_cast<uint8_t>(ip >> 8), static_cast<uint8_t>(ip)};
        PickContext ctx;
        ctx.hash = hash_source(addr, 4);
        int now = *b->pick(ctx);
        if (before[ip] != 2) {
            EXPECT_EQ(now, before[ip]);
        }
    }
}

TEST(First, FillsServersInOrder) {
    auto b = make(Algorithm::kFirst, {{1, false, 2}, {1, false, 2}});
    EXPECT_EQ(picks(*b, 5, true), (std::vector<int>{0, 0, 1, 1, -1}));
}

}  // namespace
}  // namespace octane::proxy::balance
