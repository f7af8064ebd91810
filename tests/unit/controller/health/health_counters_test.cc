#include "controller/health/health_counters.h"

#include <gtest/gtest.h>

namespace octane::controller::health {
namespace {

TEST(HealthCounters, EveryDecodeErrorHasItsCounter) {
    struct Case {
        wire::HeartbeatError error;
        const char* name;
    };
    const Case cases[] = {
        {wire::HeartbeatError::kOversized, "oversized"},
        {wire::HeartbeatError::kTruncated, "truncated"},
        {wire::HeartbeatError::kBadHmac, "bad_hmac"},
        {wire::HeartbeatError::kBadZlib, "bad_zlib"},
        {wire::HeartbeatError::kBadJson, "bad_json"},
        {wire::HeartbeatError::kBadVersion, "bad_version"},
        {wire::HeartbeatError::kBadSchema, "bad_schema"},
    };
    for (const Case& c : cases) {
        EXPECT_STREQ(counter_name(counter_of(c.error)), c.name);
        EXPECT_STREQ(counter_name(counter_of(c.error)), wire::to_string(c.error));
    }
}

TEST(HealthCounters, JsonGroupsDropsAndIgnores) {
    HealthCounters counters;
    counters.add(Counter::kReceived, 6);
    counters.add(Counter::kAccepted);
    counters.add(Counter::kBadHmac, 2);
    counters.add(Counter::kReplayed);
    counters.add(Counter::kUnknownAmphora);
    counters.add(Counter::kStorageErrors);
    nlohmann::json j = counters.to_json();
    EXPECT_EQ(j["received"], 6);
    EXPECT_EQ(j["accepted"], 1);
    EXPECT_EQ(j["dropped"]["bad_hmac"], 2);
    EXPECT_EQ(j["dropped"]["replayed"], 1);
    EXPECT_EQ(j["dropped"]["oversized"], 0);
    EXPECT_EQ(j["dropped_total"], 3);
    EXPECT_EQ(j["ignored"]["unknown_amphora"], 1);
    EXPECT_EQ(j["ignored"]["inactive_load_balancer"], 0);
    EXPECT_EQ(j["storage_errors"], 1);
    EXPECT_EQ(j["failovers"], 0);
    EXPECT_EQ(counters.total(), 12u);
}

}  // namespace
}  // namespace octane::controller::health
