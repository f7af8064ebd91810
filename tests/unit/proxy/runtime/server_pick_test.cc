// The retry rules both sessions follow after a failed connect (runtime/server_pick.h), with the
// counters `show stat` reports for them.

#include "proxy/runtime/server_pick.h"

#include <gtest/gtest.h>

namespace octane::proxy {
namespace {

struct Backend {
    config::ProxySection cfg;
    BackendState be;
    ServerState srv;
    explicit Backend(bool redispatch) {
        cfg.redispatch = redispatch;
        be.cfg = &cfg;
    }
};

TEST(NextRetry, WithoutRedispatchRetriesTheSameServerThenGivesUp) {
    Backend b(false);
    int left = 2;
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kSameServer);
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kSameServer);
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kGiveUp);
    EXPECT_EQ(left, 0);
    EXPECT_EQ(b.srv.counters.wretr.load(), 2);
    EXPECT_EQ(b.be.counters.wretr.load(), 2);
    EXPECT_EQ(b.be.counters.wredis.load(), 0);
}

TEST(NextRetry, RedispatchOnTheLastRetry) {
    Backend b(true);
    int left = 3;
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kSameServer);
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kSameServer);
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kRedispatch);
    EXPECT_EQ(b.srv.counters.wredis.load(), 1);
    EXPECT_EQ(b.be.counters.wredis.load(), 1);
    EXPECT_EQ(b.be.counters.wretr.load(), 3);
}

TEST(NextRetry, RedispatchAtOnceWhenTheServerIsNoLongerUp) {
    Backend b(true);
    b.srv.status.store(ServerStatus::kDown);
    int left = 3;
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kRedispatch);
    EXPECT_EQ(left, 2);
    Backend no(false);
    no.srv.status.store(ServerStatus::kMaint);
    EXPECT_EQ(next_retry(no.be, no.srv, left), RetryStep::kSameServer);
}

TEST(NextRetry, NoRetriesConfiguredGivesUpUncounted) {
    Backend b(true);
    int left = 0;
    EXPECT_EQ(next_retry(b.be, b.srv, left), RetryStep::kGiveUp);
    EXPECT_EQ(b.be.counters.wretr.load(), 0);
}

}  // namespace
}  // namespace octane::proxy
