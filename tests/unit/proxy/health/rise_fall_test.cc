#include "proxy/health/rise_fall.h"

#include <string>

#include <gtest/gtest.h>

namespace octane::proxy::health {
namespace {

// A sequence of results ('+' pass, '-' fail) and the up/down state after each ('U'/'D').
struct Case {
    int rise, fall;
    const char* results;
    const char* states;
};

TEST(RiseFall, TableOfSequences) {
    const Case cases[] = {
        // Starts up at health == rise: the first failure takes it down (HAProxy).
        {2, 3, "-", "D"},
        {2, 3, "+", "U"},
        // Once fully up, it needs `fall` failures.
        {2, 3, "+--+---", "UUUUUUD"},
        {2, 3, "+---", "UUUD"},
        // Down needs `rise` consecutive-ish successes.
        {2, 3, "-+-++", "DDDDU"},
        {3, 2, "-+++--", "DDDUUD"},
        {1, 1, "-+-+", "DUDU"},
        // A success during a fall snaps back to fully up.
        {2, 5, "+----+----", "UUUUUUUUUU"},
    };
    for (const auto& c : cases) {
        RiseFall m(c.rise, c.fall);
        std::string got;
        for (const char* r = c.results; *r; ++r) {
            if (*r == '+') {
                m.on_success();
            } else {
                m.on_failure();
            }
            got.push_back(m.up() ? 'U' : 'D');
        }
        EXPECT_EQ(got, c.states) << "rise " << c.rise << " fall " << c.fall << " " << c.results;
    }
}

TEST(RiseFall, ReportsTransitionsOnly) {
    RiseFall m(2, 2);
    EXPECT_FALSE(m.on_success());
    EXPECT_FALSE(m.on_failure());  // 3 -> 2: still up
    EXPECT_TRUE(m.on_failure());   // down
    EXPECT_FALSE(m.on_failure());
    EXPECT_FALSE(m.on_success());
    EXPECT_TRUE(m.on_success());
    EXPECT_TRUE(m.settled());
}

}  // namespace
}  // namespace octane::proxy::health
