#include "identity/token_cache.h"

#include <gtest/gtest.h>

namespace octane::identity {
namespace {

using namespace std::chrono_literals;
using Verdict = TokenCache::Verdict;

const TokenCache::Steady kT0{};
const TokenCache::Wall kW0 = std::chrono::sys_days(std::chrono::year(2026) / 12 / 7);

Caller alice() {
    Caller c;
    c.user_id = "u1";
    c.user_name = "alice";
    c.project_id = "p1";
    c.roles = {"member"};
    return c;
}

TEST(TokenCache, AcceptedUntilTokenCacheTimeWhenTheTokenLivesLonger) {
    TokenCache cache({300s, 30s, 10});
    cache.remember_valid("k", alice(), kW0 + 3600s, kT0, kW0);
    auto hit = cache.lookup("k", kT0 + 299s, kW0 + 299s);
    ASSERT_EQ(hit.verdict, Verdict::kValid);
    EXPECT_EQ(hit.caller.user_name, "alice");
    EXPECT_EQ(hit.caller.roles, std::vector<std::string>{"member"});
    EXPECT_EQ(cache.lookup("k", kT0 + 300s, kW0 + 300s).verdict, Verdict::kUnknown);
    EXPECT_EQ(cache.valid_count(), 0u);
}

TEST(TokenCache, AnExpiredTokenIsNeverAcceptedFromCache) {
    TokenCache cache({300s, 30s, 10});
    cache.remember_valid("k", alice(), kW0 + 2s, kT0, kW0);
    EXPECT_EQ(cache.lookup("k", kT0 + 1s, kW0 + 1s).verdict, Verdict::kValid);
    EXPECT_EQ(cache.lookup("k", kT0 + 2s, kW0 + 2s).verdict, Verdict::kUnknown);
}

TEST(TokenCache, WallClockJumpPastExpiryEndsTheEntryToo) {
    TokenCache cache({300s, 30s, 10});
    cache.remember_valid("k", alice(), kW0 + 60s, kT0, kW0);
    EXPECT_EQ(cache.lookup("k", kT0 + 1s, kW0 + 61s).verdict, Verdict::kUnknown);
}

TEST(TokenCache, AlreadyExpiredOrZeroCacheTimeIsNotRemembered) {
    TokenCache cache({300s, 30s, 10});
    cache.remember_valid("k", alice(), kW0 - 1s, kT0, kW0);
    EXPECT_EQ(cache.lookup("k", kT0, kW0).verdict, Verdict::kUnknown);
    TokenCache off({0s, 0s, 10});
    off.remember_valid("k", alice(), kW0 + 60s, kT0, kW0);
    off.remember_invalid("j", kT0);
    EXPECT_EQ(off.lookup("k", kT0, kW0).verdict, Verdict::kUnknown);
    EXPECT_EQ(off.lookup("j", kT0, kW0).verdict, Verdict::kUnknown);
}

TEST(TokenCache, RefusedTokenIsRefusedForInvalidCacheTime) {
    TokenCache cache({300s, 30s, 10});
    cache.remember_invalid("bad", kT0);
    EXPECT_EQ(cache.lookup("bad", kT0 + 29s, kW0 + 29s).verdict, Verdict::kInvalid);
    EXPECT_EQ(cache.lookup("bad", kT0 + 30s, kW0 + 30s).verdict, Verdict::kUnknown);
    EXPECT_EQ(cache.invalid_count(), 0u);
}

TEST(TokenCache, LaterVerdictReplacesEarlierOne) {
    TokenCache cache({300s, 30s, 10});
    cache.remember_valid("k", alice(), kW0 + 3600s, kT0, kW0);
    cache.remember_invalid("k", kT0 + 1s);  // revoked meanwhile
    EXPECT_EQ(cache.lookup("k", kT0 + 2s, kW0 + 2s).verdict, Verdict::kInvalid);
    cache.remember_valid("k", alice(), kW0 + 3600s, kT0 + 3s, kW0 + 3s);
    EXPECT_EQ(cache.lookup("k", kT0 + 4s, kW0 + 4s).verdict, Verdict::kValid);
}

TEST(TokenCache, GarbageFloodDoesNotPushOutAcceptedTokens) {
    TokenCache cache({300s, 30s, 4});
    cache.remember_valid("good", alice(), kW0 + 3600s, kT0, kW0);
    for (int i = 0; i < 100; ++i) {
        cache.remember_invalid("garbage" + std::to_string(i), kT0);
    }
    EXPECT_LE(cache.invalid_count(), 4u);
    EXPECT_EQ(cache.lookup("good", kT0 + 1s, kW0 + 1s).verdict, Verdict::kValid);
}

TEST(TokenCache, FullCacheDropsRunOutEntriesFirst) {
    TokenCache cache({300s, 30s, 3});
    cache.remember_valid("short", alice(), kW0 + 5s, kT0, kW0);
    cache.remember_valid("a", alice(), kW0 + 3600s, kT0, kW0);
    cache.remember_valid("b", alice(), kW0 + 3600s, kT0, kW0);
    cache.remember_valid("c", alice(), kW0 + 3600s, kT0 + 10s, kW0 + 10s);
    EXPECT_EQ(cache.valid_count(), 3u);
    EXPECT_EQ(cache.lookup("a", kT0 + 11s, kW0 + 11s).verdict, Verdict::kValid);
    EXPECT_EQ(cache.lookup("c", kT0 + 11s, kW0 + 11s).verdict, Verdict::kValid);
}

}  // namespace
}  // namespace octane::identity
