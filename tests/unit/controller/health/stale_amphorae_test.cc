#include "controller/health/stale_amphorae.h"

#include <gtest/gtest.h>

namespace octane::controller::health {
namespace {

using namespace std::chrono_literals;
using Ids = std::vector<std::string>;

const auto kNow = std::chrono::system_clock::time_point(1000000s);

std::vector<AmphoraHealthRow> rows() {
    return {
        {"fresh", kNow - 1s, false, "ALLOCATED"},
        {"stale", kNow - 4s, false, "ALLOCATED"},
        {"stale_busy", kNow - 4s, true, "ALLOCATED"},
        {"stale_deleting", kNow - 4s, false, "PENDING_DELETE"},
        {"stopped_stale", kNow - 10s, false, "FAILOVER_STOPPED"},
        {"stopped_fresh", kNow - 1s, false, "FAILOVER_STOPPED"},
    };
}

TEST(StaleAmphorae, Table) {
    struct Case {
        const char* name;
        std::optional<size_t> threshold;
        Ids failover;
        Ids stop;
    };
    const Case cases[] = {
        {"no_threshold", std::nullopt, {"stale", "stopped_stale"}, {}},
        {"below_threshold", 3, {"stale", "stopped_stale"}, {}},
        {"threshold_reached", 2, {}, {"stale", "stopped_stale"}},
    };
    for (const Case& c : cases) {
        StaleDecision d = decide_stale(rows(), kNow, 3s, c.threshold);
        EXPECT_EQ(d.failover, c.failover) << c.name;
        EXPECT_EQ(d.stop, c.stop) << c.name;
        EXPECT_EQ(d.resume, Ids{"stopped_fresh"}) << c.name;
    }
}

TEST(StaleAmphorae, ExactlyAtTimeoutIsNotStale) {
    StaleDecision d = decide_stale({{"edge", kNow - 3s, false, "ALLOCATED"}}, kNow, 3s, {});
    EXPECT_TRUE(d.failover.empty());
}

}  // namespace
}  // namespace octane::controller::health
