// Which amphora claims the VIP when the controller sees its peer's agent die.

#include "drivers/vrrp_takeover.h"

#include <gtest/gtest.h>

namespace octane::drivers {
namespace {

using nlohmann::json;

json pair_graph(const std::string& a, const std::string& b) {
    return {{"topology", "ACTIVE_STANDBY"},
            {"amphorae",
             {{{"id", a}, {"status", "ALLOCATED"}, {"role", "MASTER"}},
              {{"id", b}, {"status", "ALLOCATED"}, {"role", "BACKUP"}}}}};
}

TEST(VrrpTakeover, TheOtherMemberOfTheLostAmphorasPairTakesOver) {
    VrrpGraphs graphs = {{"m1", pair_graph("m1", "b1")},
                         {"b1", pair_graph("m1", "b1")},
                         {"m2", pair_graph("m2", "b2")},
                         {"b2", pair_graph("m2", "b2")}};
    EXPECT_EQ(takeover_peer(graphs, "m1"), "b1");
    EXPECT_EQ(takeover_peer(graphs, "m2"), "b2");
    // A dead BACKUP: the MASTER keeps the VIP, its keepalived is not restarted.
    EXPECT_EQ(takeover_peer(graphs, "b2"), std::nullopt);
    EXPECT_EQ(takeover_peer(graphs, "x"), std::nullopt);
}

TEST(VrrpTakeover, NobodyTakesOverForAnAmphoraNoLongerInThePair) {
    json replaced = pair_graph("m1", "b1");
    replaced["amphorae"][0]["status"] = "DELETED";
    VrrpGraphs graphs = {{"b1", replaced}};
    EXPECT_EQ(takeover_peer(graphs, "m1"), std::nullopt);
    EXPECT_EQ(takeover_peer({{"m1", pair_graph("m1", "b1")}}, "m1"), std::nullopt);
}

TEST(VrrpTakeover, TheGraphAsksForTheTakeoverInstance) {
    EXPECT_TRUE(takeover_graph(pair_graph("m1", "b1")).value("vrrp_takeover", false));
}

}  // namespace
}  // namespace octane::drivers
