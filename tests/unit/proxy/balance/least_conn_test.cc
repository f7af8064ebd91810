// `balance leastconn` (least_conn.h): weighted, ties round robin, O(log n) under churn.

#include "proxy/balance/least_conn.h"

#include <random>

#include <gtest/gtest.h>

#include "balance_fixture.h"

namespace octane::proxy::balance {
namespace {

using namespace fixture;

TEST(LeastConn, PicksFewestConnectionsPerWeight) {
    auto b = least_conn({{1}, {1}, {1}});
    EXPECT_EQ(picks(*b, 3, true), (std::vector<int>{0, 1, 2}));
    b->release(1);
    EXPECT_EQ(b->pick({}), 1);
    auto w = least_conn({{10}, {5}});
    auto c = count(picks(*w, 30, true));
    EXPECT_EQ(c[0], 20);
    EXPECT_EQ(c[1], 10);
}

TEST(LeastConn, HeavierServerFirstAtEqualLoadButIdleServersRotate) {
    auto b = least_conn({{1}, {3}});
    EXPECT_EQ(picks(*b, 2, true), (std::vector<int>{0, 1}));  // both idle: declaration order
    EXPECT_EQ(b->pick({}), 1);                                // 1 conn each: 2/3 < 2/1
}

TEST(LeastConn, TiesRotate) {
    // Short connections (taken and released at once) go round the servers.
    auto short_lived = least_conn({{1}, {1}});
    std::vector<int> seq;
    for (int i = 0; i < 4; ++i) {
        int p = *short_lived->pick({});
        short_lived->take(p);
        short_lived->release(p);
        seq.push_back(p);
    }
    EXPECT_EQ(seq, (std::vector<int>{0, 1, 0, 1}));
    // Held connections released one by one: each freed server is next.
    auto b = least_conn({{1}, {1}, {1}});
    picks(*b, 6, true);
    b->release(2);
    EXPECT_EQ(b->pick({}), 2);
}

TEST(LeastConn, OrderUnderChurnMatchesAFullScan) {
    // Random takes, releases, up/down and weight changes; every pick must be a server with the
    // lowest (conns + 1) / weight (0 when idle) among the eligible ones.
    constexpr int kServers = 50;
    std::vector<ServerSpec> specs;
    for (int i = 0; i < kServers; ++i) {
        specs.push_back({1 + i % 7});
    }
    auto b = least_conn(specs);
    std::mt19937 rng(7);
    for (int step = 0; step < 20000; ++step) {
        int id = static_cast<int>(rng() % kServers);
        switch (rng() % 8) {
            case 0:
                b->set_up(id, !b->is_up(id));
                break;
            case 1:
                b->set_weight(id, static_cast<int>(rng() % 5));
                break;
            case 2:
            case 3:
                b->release(id);
                break;
            default: {
                auto p = b->pick({});
                int64_t best_l = -1, best_w = 1;
                for (int s = 0; s < kServers; ++s) {
                    if (!b->is_up(s) || b->weight(s) == 0) {
                        continue;
                    }
                    int64_t l = b->conns(s) == 0 ? 0 : b->conns(s) + 1, w = b->weight(s);
                    if (best_l < 0 || l * best_w < best_l * w) {
                        best_l = l;
                        best_w = w;
                    }
                }
                if (best_l < 0) {
                    ASSERT_FALSE(p.has_value()) << "step " << step;
                    break;
                }
                ASSERT_TRUE(p.has_value()) << "step " << step;
                int64_t l = b->conns(*p) == 0 ? 0 : b->conns(*p) + 1;
                ASSERT_EQ(l * best_w, best_l * b->weight(*p)) << "step " << step;
                b->take(*p);
            }
        }
    }
}

TEST(LeastConn, DrainKeepsConnectionsButTakesNoNewOnes) {
    auto b = least_conn({{1}, {1}});
    picks(*b, 4, true);
    b->set_weight(0, 0);
    EXPECT_EQ(picks(*b, 3, true), (std::vector<int>{1, 1, 1}));
    EXPECT_EQ(b->conns(0), 2);
    b->set_weight(0, 1);  // back with 2 against 5: it gets the next three
    EXPECT_EQ(picks(*b, 3, true), (std::vector<int>{0, 0, 0}));
}

TEST(LeastConn, AvoidTakesTheNextBest) {
    auto b = least_conn({{1}, {1}, {1}});
    b->take(0);
    PickContext ctx;
    ctx.avoid = 1;
    EXPECT_EQ(b->pick(ctx), 2);
}

}  // namespace
}  // namespace octane::proxy::balance
