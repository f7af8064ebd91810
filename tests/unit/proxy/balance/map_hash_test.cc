// `balance source` / `balance hash` with `hash-type map-based` (map_hash.h).

#include "proxy/balance/map_hash.h"

#include <gtest/gtest.h>

#include "balance_fixture.h"

namespace octane::proxy::balance {
namespace {

using namespace fixture;

TEST(MapHash, SameKeySameServerAndKeysSpreadByWeight) {
    auto b = hashing(HashType::kMapBased, {{1}, {2}, {1}});
    std::map<int, int> c;
    for (int i = 0; i < 8000; ++i) {
        int s = pick_for(*b, client_hash(i));
        EXPECT_EQ(pick_for(*b, client_hash(i)), s);
        c[s]++;
    }
    EXPECT_NEAR(c[0], 2000, 200);
    EXPECT_NEAR(c[1], 4000, 200);
    EXPECT_NEAR(c[2], 2000, 200);
}

TEST(MapHash, DownServersKeysGoElsewhereAndComeBack) {
    auto b = hashing(HashType::kMapBased, {{1}, {1}, {1}});
    std::vector<int> before;
    for (int i = 0; i < 3000; ++i) {
        before.push_back(pick_for(*b, client_hash(i)));
    }
    b->set_up(1, false);
    for (int i = 0; i < 3000; ++i) {
        EXPECT_NE(pick_for(*b, client_hash(i)), 1);
    }
    b->set_up(1, true);
    for (int i = 0; i < 3000; ++i) {
        EXPECT_EQ(pick_for(*b, client_hash(i)), before[i]);
    }
}

TEST(MapHash, WeightChangeIsApplied) {
    auto b = hashing(HashType::kMapBased, {{1}, {1}});
    b->set_weight(1, 3);
    std::map<int, int> c;
    for (int i = 0; i < 4000; ++i) {
        c[pick_for(*b, client_hash(i))]++;
    }
    EXPECT_NEAR(c[1], 3000, 200);
    b->set_weight(1, 0);
    EXPECT_EQ(pick_for(*b, client_hash(1)), 0);
}

TEST(MapHash, AvoidTakesTheNextServerInTheMap) {
    auto b = hashing(HashType::kMapBased, {{1}, {1}, {1}});
    for (int i = 0; i < 100; ++i) {
        int s = pick_for(*b, client_hash(i));
        EXPECT_EQ(pick_for(*b, client_hash(i), s), (s + 1) % 3);
    }
    auto single = hashing(HashType::kMapBased, {{4}});
    EXPECT_EQ(pick_for(*single, client_hash(1), 0), 0);
}

}  // namespace
}  // namespace octane::proxy::balance
