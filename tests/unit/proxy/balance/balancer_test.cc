// What every algorithm shares (balancer.h): the algorithm names of the config and `show stat`,
// eligibility (down, weight 0), backups and `option allbackups`.

#include "proxy/balance/balancer.h"

#include <gtest/gtest.h>

#include "balance_fixture.h"

namespace octane::proxy::balance {
namespace {

using fixture::all_up;
using fixture::picks;

constexpr Algorithm kAll[] = {Algorithm::kRoundRobin, Algorithm::kLeastConn, Algorithm::kSource,
                              Algorithm::kHash, Algorithm::kFirst};

TEST(Algorithm, OneNameTableBothWays) {
    for (Algorithm a : kAll) {
        EXPECT_EQ(algorithm_named(name_of(a)), a) << name_of(a);
    }
    EXPECT_EQ(name_of(Algorithm::kLeastConn), "leastconn");
    EXPECT_EQ(name_of(Algorithm::kHash), "hash");
    EXPECT_FALSE(algorithm_named("static-rr").has_value());
    EXPECT_EQ(hash_type_named("consistent"), HashType::kConsistent);
    EXPECT_EQ(name_of(HashType::kMapBased), "map-based");
    EXPECT_FALSE(hash_type_named("avalanche").has_value());
}

TEST(Eligibility, DownAndWeightZeroAreNeverPicked) {
    for (Algorithm a : kAll) {
        for (HashType h : {HashType::kMapBased, HashType::kConsistent}) {
            auto b = all_up(a, {{1}, {0}, {1}}, false, h);
            b->set_up(0, false);
            for (int i = 0; i < 20; ++i) {
                EXPECT_EQ(fixture::pick_for(*b, fixture::client_hash(i)), 2) << name_of(a);
            }
            b->set_up(2, false);
            EXPECT_FALSE(b->pick({}).has_value()) << name_of(a);
            b->set_weight(1, 5);  // drained server given a weight again
            EXPECT_EQ(b->pick({}), 1) << name_of(a);
        }
    }
}

TEST(Eligibility, ServersStartDown) {
    auto b = make_balancer(Algorithm::kRoundRobin, HashType::kMapBased, {{1}, {1}}, false);
    EXPECT_FALSE(b->pick({}).has_value());
    b->set_up(1, true);
    EXPECT_EQ(b->pick({}), 1);
}

TEST(Backups, UsedOnlyWhenNoActiveServerIsEligible) {
    for (Algorithm a : kAll) {
        auto b = all_up(a, {{1}, {1, true}, {1, true}});
        EXPECT_EQ(picks(*b, 3), (std::vector<int>{0, 0, 0})) << name_of(a);
        b->set_up(0, false);
        EXPECT_EQ(picks(*b, 3), (std::vector<int>{1, 1, 1})) << name_of(a);  // first backup only
        b->set_up(1, false);
        EXPECT_EQ(picks(*b, 2), (std::vector<int>{2, 2})) << name_of(a);  // the next one
        b->set_up(1, true);
        EXPECT_EQ(picks(*b, 2), (std::vector<int>{1, 1})) << name_of(a);
        b->set_weight(0, 0);
        b->set_up(0, true);
        EXPECT_EQ(picks(*b, 1), (std::vector<int>{1})) << name_of(a);  // drained active: backups
        b->set_weight(0, 1);
        EXPECT_EQ(picks(*b, 2), (std::vector<int>{0, 0})) << name_of(a);
    }
}

TEST(Backups, AllBackupsShareTheLoad) {
    auto b = all_up(Algorithm::kRoundRobin, {{1}, {1, true}, {1, true}}, true);
    b->set_up(0, false);
    EXPECT_EQ(picks(*b, 4), (std::vector<int>{1, 2, 1, 2}));
}

TEST(Connections, CountedEvenWhileDownAndNeverNegative) {
    auto b = all_up(Algorithm::kLeastConn, {{1}, {1}});
    b->take(0);
    b->set_up(0, false);
    b->release(0);  // a session that outlived its server's check
    b->release(0);
    EXPECT_EQ(b->conns(0), 0);
    b->set_up(0, true);
    b->take(1);
    EXPECT_EQ(b->pick({}), 0);
}

}  // namespace
}  // namespace octane::proxy::balance
