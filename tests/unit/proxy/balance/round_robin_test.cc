// `balance roundrobin` (round_robin.h): weighted, smooth, O(log n), dynamic weights.

#include "proxy/balance/round_robin.h"

#include <gtest/gtest.h>

#include "balance_fixture.h"

namespace octane::proxy::balance {
namespace {

using namespace fixture;

TEST(RoundRobin, EqualWeightsAlternateFromTheFirstServer) {
    EXPECT_EQ(picks(*round_robin({{1}, {1}}), 6), (std::vector<int>{0, 1, 0, 1, 0, 1}));
    EXPECT_EQ(picks(*round_robin({{1}, {1}, {1}}), 6), (std::vector<int>{0, 1, 2, 0, 1, 2}));
}

TEST(RoundRobin, WeightsInterleaveSmoothly) {
    EXPECT_EQ(picks(*round_robin({{3}, {1}}), 8), (std::vector<int>{0, 0, 1, 0, 0, 0, 1, 0}));
    auto c = count(picks(*round_robin({{10}, {5}, {1}}), 1600));
    EXPECT_EQ(c[0], 1000);
    EXPECT_EQ(c[1], 500);
    EXPECT_EQ(c[2], 100);
}

TEST(RoundRobin, HeavyServerIsNotPickedInABurst) {
    // 256:1 — the light server still comes once per 257 picks, and the heavy one never more
    // than 256 times in a row.
    auto seq = picks(*round_robin({{256}, {1}}), 257 * 4);
    int run = 0, longest = 0;
    for (int id : seq) {
        run = id == 0 ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    EXPECT_EQ(count(seq)[1], 4);
    EXPECT_LE(longest, 256);
}

TEST(RoundRobin, DownServerIsSkippedAndReturnsWithoutABurst) {
    auto b = round_robin({{1}, {1}, {1}});
    picks(*b, 30);
    b->set_up(1, false);
    EXPECT_EQ(picks(*b, 4), (std::vector<int>{0, 2, 0, 2}));
    b->set_up(1, true);
    // Back at the current position: one turn in three, not the 30 picks it missed.
    auto c = count(picks(*b, 30));
    EXPECT_EQ(c[0], 10);
    EXPECT_EQ(c[1], 10);
    EXPECT_EQ(c[2], 10);
}

TEST(RoundRobin, WeightChangeTakesEffectAtOnce) {
    auto b = round_robin({{1}, {1}});
    picks(*b, 5);
    b->set_weight(0, 3);  // `set weight`
    auto c = count(picks(*b, 400));
    EXPECT_NEAR(c[0], 300, 1);
    EXPECT_NEAR(c[1], 100, 1);
    b->set_weight(0, 0);  // drain
    EXPECT_EQ(picks(*b, 3), (std::vector<int>{1, 1, 1}));
    b->set_weight(0, 1);
    c = count(picks(*b, 100));
    EXPECT_EQ(c[0], 50);
    EXPECT_EQ(c[1], 50);
}

TEST(RoundRobin, AvoidSendsARetryElsewhere) {
    auto b = round_robin({{1}, {1}});
    PickContext ctx;
    ctx.avoid = 0;
    EXPECT_EQ(b->pick(ctx), 1);
    EXPECT_EQ(b->pick(ctx), 1);
    auto single = round_robin({{1}});
    EXPECT_EQ(single->pick(ctx), 0);  // nothing else: same server
}

TEST(RoundRobin, LongRunsKeepTheProportions) {
    // Millions of picks: positions are rebased (every ~2^16 steps) and keep their order.
    auto b = round_robin({{1}, {2}});
    auto c = count(picks(*b, 3'000'000));
    EXPECT_EQ(c[0], 1'000'000);
    EXPECT_EQ(c[1], 2'000'000);
}

}  // namespace
}  // namespace octane::proxy::balance
