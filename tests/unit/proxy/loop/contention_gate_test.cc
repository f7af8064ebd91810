#include "proxy/loop/contention_gate.h"

#include <gtest/gtest.h>

namespace octane::proxy {
namespace {

TEST(ContentionGate, ShortStepsKeepPolling) {
    ContentionGate g;
    EXPECT_TRUE(g.allows_polling(0));
    for (int64_t t = 0; t < 1'000; ++t) {
        g.on_poll_step(t % 2 == 0 ? 1'000 : 50'000, t);  // a syscall; a short interrupt
        ASSERT_TRUE(g.allows_polling(t)) << t;
    }
}

TEST(ContentionGate, AStepThatLostTheCpuClosesPollingForTheHoldOff) {
    ContentionGate g;
    g.on_poll_step(3'000'000, 10);  // another task's 3 ms time slice
    EXPECT_FALSE(g.allows_polling(10));
    EXPECT_FALSE(g.allows_polling(10 + ContentionGate::kHoldOffMs - 1));
    EXPECT_TRUE(g.allows_polling(10 + ContentionGate::kHoldOffMs));
}

TEST(ContentionGate, AnotherPreemptionExtendsTheHoldOff) {
    ContentionGate g;
    g.on_poll_step(ContentionGate::kPreemptedNs + 1, 0);
    g.on_poll_step(ContentionGate::kPreemptedNs + 1, 500);
    EXPECT_FALSE(g.allows_polling(ContentionGate::kHoldOffMs));
    EXPECT_TRUE(g.allows_polling(500 + ContentionGate::kHoldOffMs));
}

}  // namespace
}  // namespace octane::proxy
