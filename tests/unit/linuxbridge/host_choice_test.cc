// Placement of amphorae on simulated compute hosts: round robin, never on a peer's host.

#include "linuxbridge/host_choice.h"

#include <gtest/gtest.h>

namespace octane::linuxbridge {
namespace {

TEST(HostChoice, RoundRobinWithoutConstraints) {
    EXPECT_EQ(choose_host(2, 0, {}), 1);
    EXPECT_EQ(choose_host(2, 1, {}), 2);
    EXPECT_EQ(choose_host(2, 2, {}), 1);
}

TEST(HostChoice, APairNeverSharesAHost) {
    // Whatever the turn, the BACKUP avoids the MASTER's host.
    for (unsigned turn = 0; turn < 6; ++turn) {
        auto master = choose_host(3, turn, {});
        ASSERT_TRUE(master);
        auto backup = choose_host(3, turn + 1, {"host-" + std::to_string(*master)});
        ASSERT_TRUE(backup);
        EXPECT_NE(*backup, *master) << "turn " << turn;
    }
    EXPECT_EQ(choose_host(2, 0, {"host-1"}), 2);
    EXPECT_EQ(choose_host(2, 1, {"host-2"}), 1);
}

TEST(HostChoice, NoHostLeft) {
    EXPECT_FALSE(choose_host(2, 0, {"host-1", "host-2"}));
}

}  // namespace
}  // namespace octane::linuxbridge
