#include "proxy/loop/spin_window.h"

#include <gtest/gtest.h>

namespace octane::proxy {
namespace {

TEST(SpinWindow, QuietLoopBlocksAtOnce) {
    SpinWindow w;
    EXPECT_EQ(w.window_ns(), 0);
    w.on_woken(SpinWindow::kMaxNs);  // slept longer than any poll would have waited
    EXPECT_EQ(w.window_ns(), 0);
}

TEST(SpinWindow, GrowsWhileWakeupsComeSoonUpToTheMaximum) {
    SpinWindow w;
    w.on_woken(2'000);
    EXPECT_EQ(w.window_ns(), SpinWindow::kStartNs);
    w.on_woken(2'000);
    EXPECT_EQ(w.window_ns(), 2 * SpinWindow::kStartNs);
    for (int i = 0; i < 20; ++i) {
        w.on_woken(2'000);
    }
    EXPECT_EQ(w.window_ns(), SpinWindow::kMaxNs);
    w.on_woken(SpinWindow::kMaxNs + 1);  // a long sleep neither grows nor shrinks
    EXPECT_EQ(w.window_ns(), SpinWindow::kMaxNs);
}

TEST(SpinWindow, HalvesOnAMissedPollAndClosesBelowTheStart) {
    SpinWindow w;
    for (int i = 0; i < 20; ++i) {
        w.on_woken(1'000);
    }
    w.on_missed();
    EXPECT_EQ(w.window_ns(), SpinWindow::kMaxNs / 2);
    for (int i = 0; i < 10 && w.window_ns() > 0; ++i) {
        w.on_missed();
    }
    EXPECT_EQ(w.window_ns(), 0);
}

}  // namespace
}  // namespace octane::proxy
