// `balance source` / `balance hash` with `hash-type consistent` (consistent_hash.h).

#include "proxy/balance/consistent_hash.h"

#include <gtest/gtest.h>

#include "balance_fixture.h"

namespace octane::proxy::balance {
namespace {

using namespace fixture;

constexpr int kKeys = 20000;

std::vector<int> assignment(Balancer& b) {
    std::vector<int> out;
    for (int i = 0; i < kKeys; ++i) {
        out.push_back(pick_for(b, client_hash(i)));
    }
    return out;
}

TEST(ConsistentHash, SameKeySameServerAndKeysSpreadByWeight) {
    auto b = hashing(HashType::kConsistent, {{1}, {2}, {1}, {4}});
    std::map<int, int> c;
    for (int s : assignment(*b)) {
        c[s]++;
    }
    // 16 points per weight unit: within a third of the fair share.
    EXPECT_NEAR(c[0], kKeys / 8, kKeys / 24);
    EXPECT_NEAR(c[1], kKeys / 4, kKeys / 12);
    EXPECT_NEAR(c[3], kKeys / 2, kKeys / 6);
    EXPECT_EQ(assignment(*b), assignment(*b));
}

TEST(ConsistentHash, RemovingOneOfTenMovesOnlyItsKeys) {
    std::vector<ServerSpec> specs(10, ServerSpec{1});
    auto b = hashing(HashType::kConsistent, specs);
    auto before = assignment(*b);
    b->set_up(4, false);
    auto after = assignment(*b);
    int moved = 0;
    for (int i = 0; i < kKeys; ++i) {
        if (before[i] != 4) {
            EXPECT_EQ(after[i], before[i]) << i;
        }
        moved += after[i] != before[i];
    }
    // Only the lost server's keys, about 1/10 of them.
    EXPECT_NEAR(moved, kKeys / 10, kKeys / 30);
    b->set_up(4, true);
    EXPECT_EQ(assignment(*b), before);  // and they come back
}

TEST(ConsistentHash, AddingAServerTakesKeysOnlyForItself) {
    std::vector<ServerSpec> specs(9, ServerSpec{1});
    specs.push_back({1});
    auto b = make_balancer(Algorithm::kHash, HashType::kConsistent, specs, false);
    for (int i = 0; i < 9; ++i) {
        b->set_up(i, true);
    }
    auto before = assignment(*b);
    b->set_up(9, true);
    auto after = assignment(*b);
    for (int i = 0; i < kKeys; ++i) {
        EXPECT_TRUE(after[i] == before[i] || after[i] == 9) << i;
    }
}

TEST(ConsistentHash, WeightChangeMovesFewKeys) {
    auto b = hashing(HashType::kConsistent, {{2}, {2}, {2}, {2}});
    auto before = assignment(*b);
    b->set_weight(0, 1);  // half of server 0's points go
    auto after = assignment(*b);
    int moved = 0;
    for (int i = 0; i < kKeys; ++i) {
        if (after[i] != before[i]) {
            EXPECT_EQ(before[i], 0) << i;  // only keys of the lighter server move
            ++moved;
        }
    }
    EXPECT_GT(moved, 0);
    EXPECT_LT(moved, kKeys / 4);
}

TEST(ConsistentHash, AvoidWalksOnToAnotherServer) {
    auto b = hashing(HashType::kConsistent, {{1}, {1}, {1}});
    for (int i = 0; i < 200; ++i) {
        int s = pick_for(*b, client_hash(i));
        int retry = pick_for(*b, client_hash(i), s);
        EXPECT_NE(retry, s);
        EXPECT_GE(retry, 0);
    }
    auto single = hashing(HashType::kConsistent, {{1}});
    EXPECT_EQ(pick_for(*single, client_hash(3), 0), 0);
}

}  // namespace
}  // namespace octane::proxy::balance
