#include "proxy/loop/spin_window.h"

#include <gtest/gtest.h>

namespace octane::proxy {
namespace {

// What the loop sees when an event comes `gap_ns` after it started waiting: caught by the poll
// when the window covers the gap, otherwise a blocking wait reported with its whole length.
bool wait_for_event(SpinWindow& w, int64_t gap_ns) {
    if (gap_ns <= w.window_ns()) {
        return true;
    }
    w.on_wait(gap_ns);
    return false;
}

TEST(SpinWindow, QuietLoopBlocksAtOnce) {
    SpinWindow w;
    EXPECT_EQ(w.window_ns(), 0);
    w.on_wait(SpinWindow::kMaxNs + 1);  // longer than any poll would wait
    EXPECT_EQ(w.window_ns(), 0);
}

TEST(SpinWindow, GrowsWhileWaitsEndWithinTheMaximum) {
    SpinWindow w;
    w.on_wait(2'000);
    EXPECT_EQ(w.window_ns(), SpinWindow::kStartNs);
    w.on_wait(SpinWindow::kStartNs + 1);
    EXPECT_EQ(w.window_ns(), 2 * SpinWindow::kStartNs);
    for (int i = 0; i < 20; ++i) {
        w.on_wait(SpinWindow::kMaxNs);
    }
    EXPECT_EQ(w.window_ns(), SpinWindow::kMaxNs);
}

TEST(SpinWindow, AWaitThePollCaughtChangesNothing) {
    SpinWindow w;
    w.on_wait(30'000);
    w.on_wait(30'000);
    ASSERT_EQ(w.window_ns(), 2 * SpinWindow::kStartNs);
    w.on_wait(5'000);
    EXPECT_EQ(w.window_ns(), 2 * SpinWindow::kStartNs);
}

// One connection, a member answering in 50 µs and the client sending its next request 60 µs
// after the response: every wait is a little longer than the first windows. The window must
// reach those waits and then catch every event (halving on each missed poll kept it between 0
// and 10 µs: two sleeps per request).
TEST(SpinWindow, LearnsWaitsLongerThanItsCurrentWindow) {
    SpinWindow w;
    int blocked = 0;
    for (int i = 0; i < 100; ++i) {
        blocked += wait_for_event(w, 50'000) ? 0 : 1;
        blocked += wait_for_event(w, 60'000) ? 0 : 1;
    }
    EXPECT_LE(blocked, 6);
    EXPECT_GE(w.window_ns(), 60'000);
}

TEST(SpinWindow, HalvesOnWaitsPastTheMaximumAndClosesBelowTheStart) {
    SpinWindow w;
    for (int i = 0; i < 20; ++i) {
        w.on_wait(SpinWindow::kMaxNs);
    }
    w.on_wait(SpinWindow::kMaxNs + 1);
    EXPECT_EQ(w.window_ns(), SpinWindow::kMaxNs / 2);
    for (int i = 0; i < 10 && w.window_ns() > 0; ++i) {
        w.on_wait(10 * SpinWindow::kMaxNs);
    }
    EXPECT_EQ(w.window_ns(), 0);
}

}  // namespace
}  // namespace octane::proxy
