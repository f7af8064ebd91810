#include "http/connection_limits.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace octane::http {
namespace {

using Tickets = std::vector<ConnectionLimits::Ticket>;

// Admits from `client` until refused (bounded by `at_most` tries); the admitted tickets.
Tickets fill(ConnectionLimits& limits, const std::string& client, size_t at_most) {
    Tickets out;
    for (size_t i = 0; i < at_most; ++i) {
        auto ticket = limits.admit(client);
        if (!ticket) {
            break;
        }
        out.push_back(std::move(*ticket));
    }
    return out;
}

TEST(ConnectionLimits, OneClientGetsAtMostItsShareOthersStillGetIn) {
    ConnectionLimits limits(10, 3);
    Tickets a = fill(limits, "10.0.0.1", 100);
    EXPECT_EQ(a.size(), 3u);
    EXPECT_EQ(limits.open_from("10.0.0.1"), 3u);
    Tickets b = fill(limits, "10.0.0.2", 100);
    EXPECT_EQ(b.size(), 3u);
    EXPECT_EQ(limits.open(), 6u);
}

TEST(ConnectionLimits, TotalCapHoldsAcrossClients) {
    ConnectionLimits limits(5, 3);
    Tickets a = fill(limits, "a", 100);
    Tickets b = fill(limits, "b", 100);
    Tickets c = fill(limits, "c", 100);
    EXPECT_EQ(a.size() + b.size() + c.size(), 5u);
    EXPECT_TRUE(c.empty());
    EXPECT_FALSE(limits.admit("d").has_value());
}

TEST(ConnectionLimits, AReleasedTicketGivesItsSlotBack) {
    ConnectionLimits limits(4, 2);
    Tickets a = fill(limits, "a", 100);
    ASSERT_EQ(a.size(), 2u);
    EXPECT_FALSE(limits.admit("a").has_value());
    a.pop_back();
    EXPECT_EQ(limits.open_from("a"), 1u);
    auto again = limits.admit("a");
    EXPECT_TRUE(again.has_value());
    a.clear();
    again.reset();
    EXPECT_EQ(limits.open(), 0u);
    EXPECT_EQ(limits.open_from("a"), 0u);
}

TEST(ConnectionLimits, AMovedTicketReleasesOnce) {
    ConnectionLimits limits(2, 2);
    {
        auto first = limits.admit("a");
        ASSERT_TRUE(first);
        ConnectionLimits::Ticket moved(std::move(*first));
        first.reset();  // the moved-from ticket gives nothing back
        EXPECT_EQ(limits.open(), 1u);
    }
    EXPECT_EQ(limits.open(), 0u);
}

TEST(ConnectionLimits, ConcurrentAdmissionsNeverExceedTheCap) {
    ConnectionLimits limits(50, 1000);
    std::vector<Tickets> per_thread(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < per_thread.size(); ++t) {
        threads.emplace_back([&, t] { per_thread[t] = fill(limits, "c" + std::to_string(t), 40); });
    }
    for (auto& th : threads) {
        th.join();
    }
    size_t admitted = 0;
    for (const auto& tickets : per_thread) {
        admitted += tickets.size();
    }
    EXPECT_EQ(admitted, 50u);
    EXPECT_EQ(limits.open(), 50u);
}

}  // namespace
}  // namespace octane::http
