// `balance first` (first.h): servers fill in declaration order up to their maxconn.

#include "proxy/balance/first.h"

#include <gtest/gtest.h>

#include "balance_fixture.h"

namespace octane::proxy::balance {
namespace {

using namespace fixture;

TEST(First, FillsServersInOrder) {
    auto b = first({{1, false, 2}, {1, false, 2}});
    EXPECT_EQ(picks(*b, 5, true), (std::vector<int>{0, 0, 1, 1, -1}));
    b->release(0);
    EXPECT_EQ(picks(*b, 2, true), (std::vector<int>{0, -1}));
}

TEST(First, WithoutMaxconnTheFirstServerTakesEverything) {
    auto b = first({{1}, {1}});
    EXPECT_EQ(picks(*b, 50, true), std::vector<int>(50, 0));
}

TEST(First, DownAndDrainedServersAreSkippedInOrder) {
    auto b = first({{1, false, 1}, {1, false, 1}, {1, false, 1}});
    b->set_up(0, false);
    b->set_weight(1, 0);
    EXPECT_EQ(picks(*b, 2, true), (std::vector<int>{2, -1}));
    b->set_up(0, true);
    EXPECT_EQ(picks(*b, 1, true), (std::vector<int>{0}));
}

TEST(First, ServerFullWhileDownHasRoomWhenBackOnlyIfReleased) {
    auto b = first({{1, false, 1}, {1, false, 1}});
    b->take(0);
    b->set_up(0, false);
    b->set_up(0, true);  // still holding its connection: full
    EXPECT_EQ(picks(*b, 1, true), (std::vector<int>{1}));
    b->release(0);
    EXPECT_EQ(picks(*b, 1, true), (std::vector<int>{0}));
}

TEST(First, AvoidTakesTheNextWithRoom) {
    auto b = first({{1}, {1}});
    PickContext ctx;
    ctx.avoid = 0;
    EXPECT_EQ(b->pick(ctx), 1);
}

}  // namespace
}  // namespace octane::proxy::balance
