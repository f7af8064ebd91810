#include "controller/health/timestamps.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace octane::controller::health {
namespace {

using namespace std::chrono_literals;

TEST(Timestamps, RoundTripsFormatTimestamp) {
    for (auto seconds : {0s, 1'800'000'000s, 951'782'400s /* 2000-02-29 */}) {
        auto t = std::chrono::system_clock::time_point(seconds);
        auto parsed = parse_timestamp(format_timestamp(t));
        ASSERT_TRUE(parsed) << format_timestamp(t);
        EXPECT_EQ(*parsed, t);
    }
}

TEST(Timestamps, RejectsAnythingElse) {
    for (const char* text : {"", "2026-11-26", "2026-11-26 13:00:00", "2026-11-26T13:00:00Z",
                             "2026-13-01T00:00:00", "2026-02-30T00:00:00", "2026-11-26T24:00:00",
                             "2026-11-26T13:60:00", "2026-1a-26T13:00:00", "+026-11-26T13:00:00"}) {
        EXPECT_FALSE(parse_timestamp(text)) << text;
    }
}

}  // namespace
}  // namespace octane::controller::health
