#include "proxy/sockmap/fast_path.h"

#include <gtest/gtest.h>

namespace octane::proxy {
namespace {

JoinInputs ready() {
    JoinInputs in;
    in.available = true;
    in.established = true;
    in.turns = 2;
    return in;
}

TEST(DecideJoin, ConnectedWithNothingParkedJoins) {
    EXPECT_EQ(decide_join(ready()), JoinDecision::kJoin);
}

TEST(DecideJoin, WaitsForTheConnectionAndParkedBytes) {
    JoinInputs in = ready();
    in.established = false;
    EXPECT_EQ(decide_join(in), JoinDecision::kNotYet);
    in = ready();
    in.parked = true;  // e.g. a PROXY header or a slow peer's backlog still in user space
    EXPECT_EQ(decide_join(in), JoinDecision::kNotYet);
}

TEST(DecideJoin, TlsToTheServerNeverJoins) {
    JoinInputs in = ready();
    in.encrypted = true;  // `server ... ssl`: user space encrypts every byte
    EXPECT_EQ(decide_join(in), JoinDecision::kNever);
}

TEST(DecideJoin, OnlyAConversationIsWorthIt) {
    JoinInputs in = ready();
    in.turns = 0;  // a one-way transfer, however long: the copy path splices it
    EXPECT_EQ(decide_join(in), JoinDecision::kNotYet);
    in.turns = 1;  // a request and its answer: maybe all the connection carries
    EXPECT_EQ(decide_join(in), JoinDecision::kNotYet);
    in = ready();  // the second request
    EXPECT_EQ(decide_join(in), JoinDecision::kJoin);
}

TEST(DecideJoin, NeverWithoutTheFastPathOrAfterAFin) {
    JoinInputs in = ready();
    in.available = false;
    EXPECT_EQ(decide_join(in), JoinDecision::kNever);
    in = ready();
    in.fin_seen = true;
    EXPECT_EQ(decide_join(in), JoinDecision::kNever);
    in = ready();
    in.shut = true;
    EXPECT_EQ(decide_join(in), JoinDecision::kNever);
    in = ready();
    in.fin_seen = true;
    in.parked = true;  // a FIN wins over waiting
    EXPECT_EQ(decide_join(in), JoinDecision::kNever);
}

TEST(KernelFlow, DrainedOnlyWhenEveryRedirectedByteWasWritten) {
    // 100 bytes copied in user space before the join (plus a 16-byte PROXY header written to
    // the destination), then 1000 more received and forwarded by the kernel, then a FIN.
    KernelFlow f{100, 116};
    EXPECT_FALSE(kernel_flow_drained(f, 1101, true, 116));
    EXPECT_FALSE(kernel_flow_drained(f, 1101, true, 1115));
    EXPECT_TRUE(kernel_flow_drained(f, 1101, true, 1116));
    // Without the FIN flag the last byte of `received` is data still owed.
    EXPECT_FALSE(kernel_flow_drained(f, 1101, false, 1116));
    EXPECT_TRUE(kernel_flow_drained(f, 1101, false, 1117));
}

TEST(KernelFlow, NothingRedirectedIsDrained) {
    KernelFlow f{5, 5};
    EXPECT_TRUE(kernel_flow_drained(f, 6, true, 5));
    EXPECT_TRUE(kernel_flow_drained(KernelFlow{}, 0, false, 0));
}

TEST(KernelFlow, BytesLeaveTheFinOut) {
    EXPECT_EQ(kernel_flow_bytes(1001, true), 1000U);
    EXPECT_EQ(kernel_flow_bytes(1001, false), 1001U);
    EXPECT_EQ(kernel_flow_bytes(0, true), 0U);
}

TEST(KernelFlow, APassedDirectionWaitsForEveryRedirectedByte) {
    KernelFlow f{100, 1000};  // 1000 written from user space before the join
    EXPECT_FALSE(redirected_drained(f, 5000, 5999));
    EXPECT_TRUE(redirected_drained(f, 5000, 6000));
    EXPECT_TRUE(redirected_drained(f, 0, 1000));
}

TEST(PassCheck, BacksOffWhileNothingMovesAndReturnsWhenItDoes) {
    EXPECT_EQ(next_pass_check_ms(0, false), kPassCheckFirstMs);
    EXPECT_EQ(next_pass_check_ms(kPassCheckFirstMs, false), 2 * kPassCheckFirstMs);
    EXPECT_EQ(next_pass_check_ms(kPassCheckLastMs, false), kPassCheckLastMs);
    EXPECT_EQ(next_pass_check_ms(kPassCheckLastMs, true), kPassCheckFirstMs);
}

TEST(FastPathCounters, ActiveFollowsJoinsAndEnds) {
    FastPathCounters c;
    c.joined();
    c.joined();
    c.left();
    EXPECT_EQ(c.active.load(), 1);
    EXPECT_EQ(c.total.load(), 2);
}

TEST(KernelFlow, APsockEndsOnlyOnceEveryReceivedByteWasRead) {
    // 6 MiB received and the FIN: recv() returning 0 after 5 MiB means the psock's backlog
    // still holds the last MiB.
    constexpr uint64_t kMiB = 1 << 20;
    EXPECT_FALSE(psock_input_drained(5 * kMiB, 6 * kMiB + 1, true));
    EXPECT_FALSE(psock_input_drained(6 * kMiB - 1, 6 * kMiB + 1, true));
    EXPECT_TRUE(psock_input_drained(6 * kMiB, 6 * kMiB + 1, true));
    EXPECT_TRUE(psock_input_drained(0, 1, true));  // a connection closed without data
}

}  // namespace
}  // namespace octane::proxy
