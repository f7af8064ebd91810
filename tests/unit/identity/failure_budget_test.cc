#include "identity/failure_budget.h"

#include <gtest/gtest.h>

namespace octane::identity {
namespace {

using namespace std::chrono_literals;

const FailureBudget::Steady kT0{};

int spendable(FailureBudget& budget, FailureBudget::Steady now, int at_most) {
    int n = 0;
    while (n < at_most && budget.try_spend(now)) {
        ++n;
    }
    return n;
}

TEST(FailureBudget, HoldsOneSecondsWorthAndRefillsAtTheRate) {
    FailureBudget budget(5, kT0);
    EXPECT_EQ(spendable(budget, kT0, 100), 5);
    EXPECT_EQ(spendable(budget, kT0 + 199ms, 100), 0);
    EXPECT_EQ(spendable(budget, kT0 + 200ms, 100), 1);
    EXPECT_EQ(spendable(budget, kT0 + 60s, 100), 5);  // idle time does not save up more
}

TEST(FailureBudget, RefundedSpendingIsNotCounted) {
    FailureBudget budget(2, kT0);
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(budget.try_spend(kT0));
        budget.refund();  // a valid token
    }
    EXPECT_EQ(spendable(budget, kT0, 100), 2);
    budget.refund();
    budget.refund();
    budget.refund();
    EXPECT_EQ(spendable(budget, kT0, 100), 2);  // never above capacity
}

TEST(FailureBudget, BelowOnePerSecondStillAllowsOne) {
    FailureBudget budget(0.5, kT0);
    EXPECT_EQ(spendable(budget, kT0, 100), 1);
    EXPECT_EQ(spendable(budget, kT0 + 1s, 100), 0);
    EXPECT_EQ(spendable(budget, kT0 + 2s, 100), 1);
}

TEST(FailureBudget, ZeroMeansNoBudget) {
    FailureBudget budget(0, kT0);
    EXPECT_EQ(spendable(budget, kT0, 1000), 1000);
}

TEST(FailureBudget, ClockGoingBackDoesNotRefill) {
    FailureBudget budget(1, kT0 + 10s);
    EXPECT_EQ(spendable(budget, kT0 + 10s, 100), 1);
    EXPECT_EQ(spendable(budget, kT0, 100), 0);
}

}  // namespace
}  // namespace octane::identity
