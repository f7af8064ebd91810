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

TEST(HostChoice, HardAntiAffinityFailsRatherThanShareAHost) {
    // host-1 disabled, the peer on host-2: nowhere to go.
    EXPECT_FALSE(place_amphora(2, 0, {"host-2"}, {"host-1"}, AntiAffinity::kHard));
    EXPECT_EQ(place_amphora(3, 0, {"host-2"}, {"host-1"}, AntiAffinity::kHard), 3);
}

TEST(HostChoice, SoftAntiAffinitySharesTheLastHost) {
    EXPECT_EQ(place_amphora(2, 0, {"host-2"}, {"host-1"}, AntiAffinity::kSoft), 2);
    // Another host while there is one, whatever the turn.
    for (unsigned turn = 0; turn < 3; ++turn) {
        EXPECT_EQ(place_amphora(3, turn, {"host-2"}, {"host-1"}, AntiAffinity::kSoft), 3);
    }
}

TEST(HostChoice, WithoutAntiAffinityRoundRobinDecides) {
    EXPECT_EQ(place_amphora(2, 1, {"host-2"}, {}, AntiAffinity::kOff), 2);
    EXPECT_EQ(place_amphora(2, 1, {"host-2"}, {}, AntiAffinity::kHard), 1);
    // A disabled host is never chosen.
    EXPECT_EQ(place_amphora(2, 0, {}, {"host-1"}, AntiAffinity::kOff), 2);
    EXPECT_FALSE(place_amphora(2, 0, {}, {"host-1", "host-2"}, AntiAffinity::kSoft));
}

}  // namespace
}  // namespace octane::linuxbridge
