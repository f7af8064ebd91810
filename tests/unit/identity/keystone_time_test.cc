#include <gtest/gtest.h>

#include "common/clock.h"
#include "identity/keystone_views.h"

namespace octane::identity {
namespace {

using namespace std::chrono_literals;

TEST(KeystoneTime, ReadsBackWhatKeystoneWrites) {
    const int64_t ms = 1796661454123;  // 2026-12-07T16:37:34.123Z
    auto parsed = parse_keystone_time(keystone_time(ms));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(to_unix_millis(*parsed), ms);
}

TEST(KeystoneTime, FractionAndUtcZoneAreOptional) {
    auto whole = parse_keystone_time("2026-12-07T16:37:34");
    ASSERT_TRUE(whole);
    EXPECT_EQ(to_unix_millis(*whole), 1796661454000);
    EXPECT_EQ(parse_keystone_time("2026-12-07T16:37:34+00:00"), whole);
    EXPECT_EQ(parse_keystone_time("2026-12-07T16:37:34.5Z"), *whole + 500ms);
}

TEST(KeystoneTime, RefusesOtherZonesAndGarbage) {
    for (const char* bad : {"", "tomorrow", "2026-12-07", "2026-12-07T16:37:34+01:00",
                            "2026-12-07T16:37:34.Z", "2026-12-07T16:37:34 junk"}) {
        EXPECT_FALSE(parse_keystone_time(bad)) << bad;
    }
}

}  // namespace
}  // namespace octane::identity
