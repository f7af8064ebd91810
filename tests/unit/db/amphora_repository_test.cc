#include "db/amphora_repository.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "db/amphora_health_repository.h"
#include "repository_fixture.h"

namespace octane::db::testing {
namespace {

// A query result that must be there; its value.
bool holds(const Result<bool>& r) {
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r && *r;
}

class AmphoraRepositoryTest : public RepositoryTest {
  protected:
    void SetUp() override {
        RepositoryTest::SetUp();
        add_load_balancer("lb1", "ACTIVE", "p1");
        add_load_balancer("lb2", "PENDING_UPDATE", "p2");
    }

    void add(const std::string& id, const std::string& lb, const std::string& status,
             const std::string& created_at, nlohmann::json attrs = nlohmann::json::object()) {
        AmphoraRecord a{id, lb, status, created_at, std::nullopt, std::move(attrs)};
        if (lb.empty()) {
            a.load_balancer_id.reset();
        }
        auto done = repo().insert(a);
        ASSERT_TRUE(done) << done.error().message;
    }

    static std::vector<std::string> ids(const std::vector<AmphoraRecord>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows) {
            out.push_back(r.id);
        }
        return out;
    }

    AmphoraRepository repo() { return AmphoraRepository(*db_); }
};

TEST_F(AmphoraRepositoryTest, InsertedRowReadsBackWhole) {
    add("a1", "lb1", "ALLOCATED", "2026-01-01T00:00:01",
        {{"role", "MASTER"}, {"vrrp_priority", 100}});
    add("spare", "", "READY", "2026-01-01T00:00:02");
    auto a = repo().get("a1");
    ASSERT_TRUE(a && *a);
    EXPECT_EQ((*a)->load_balancer_id, "lb1");
    EXPECT_EQ((*a)->status, "ALLOCATED");
    EXPECT_EQ((*a)->created_at, "2026-01-01T00:00:01");
    EXPECT_FALSE((*a)->updated_at);
    EXPECT_EQ((*a)->attrs["role"], "MASTER");
    EXPECT_EQ((*a)->attrs["vrrp_priority"], 100);
    auto spare = repo().get("spare");
    ASSERT_TRUE(spare && *spare);
    EXPECT_FALSE((*spare)->load_balancer_id);
}

TEST_F(AmphoraRepositoryTest, DeletedRowsAreNotLive) {
    add("a1", "lb1", "ALLOCATED", "2026-01-01T00:00:01");
    add("a2", "lb1", "ALLOCATED", "2026-01-01T00:00:02");
    add("b1", "lb2", "ALLOCATED", "2026-01-01T00:00:03");
    ASSERT_TRUE(repo().mark_deleted("a1", "2026-01-02T00:00:00"));
    auto gone = repo().get_live("a1");
    ASSERT_TRUE(gone);
    EXPECT_FALSE(*gone);
    auto kept = repo().get("a1");
    ASSERT_TRUE(kept && *kept);
    EXPECT_EQ((*kept)->status, "DELETED");
    EXPECT_EQ((*kept)->updated_at, "2026-01-02T00:00:00");
    auto of_lb = repo().live_of_load_balancer("lb1");
    ASSERT_TRUE(of_lb);
    EXPECT_EQ(ids(*of_lb), std::vector<std::string>{"a2"});
    auto live = repo().live_ids();
    ASSERT_TRUE(live);
    std::sort(live->begin(), live->end());
    EXPECT_EQ(*live, (std::vector<std::string>{"a2", "b1"}));

    ASSERT_TRUE(repo().mark_deleted_of_load_balancer("lb1", "2026-01-03T00:00:00"));
    of_lb = repo().live_of_load_balancer("lb1");
    ASSERT_TRUE(of_lb);
    EXPECT_TRUE(of_lb->empty());
    // An amphora already DELETED keeps the time it was deleted at.
    EXPECT_EQ((*repo().get("a1"))->updated_at, "2026-01-02T00:00:00");
    EXPECT_EQ((*repo().get("b1"))->status, "ALLOCATED");
}

TEST_F(AmphoraRepositoryTest, ListFiltersByColumnAttributeAndProject) {
    add("a2", "lb1", "ALLOCATED", "2026-01-01T00:00:02", {{"role", "BACKUP"}});
    add("a1", "lb1", "ALLOCATED", "2026-01-01T00:00:01", {{"role", "MASTER"}});
    add("b1", "lb2", "ERROR", "2026-01-01T00:00:03", {{"role", "MASTER"}});
    add("x", "lb1", "DELETED", "2026-01-01T00:00:00", {{"role", "MASTER"}});
    auto all = repo().list_live({});
    ASSERT_TRUE(all);
    EXPECT_EQ(ids(*all), (std::vector<std::string>{"a1", "a2", "b1"}));  // oldest first
    auto masters = repo().list_live({{"role", "MASTER"}});
    ASSERT_TRUE(masters);
    EXPECT_EQ(ids(*masters), (std::vector<std::string>{"a1", "b1"}));
    auto of_p2 = repo().list_live({{"project_id", "p2"}});
    ASSERT_TRUE(of_p2);
    EXPECT_EQ(ids(*of_p2), std::vector<std::string>{"b1"});
    auto both = repo().list_live({{"loadbalancer_id", "lb1"}, {"role", "MASTER"}});
    ASSERT_TRUE(both);
    EXPECT_EQ(ids(*both), std::vector<std::string>{"a1"});
    auto errored = repo().list_live({{"status", "ERROR"}});
    ASSERT_TRUE(errored);
    EXPECT_EQ(ids(*errored), std::vector<std::string>{"b1"});
    EXPECT_FALSE(AmphoraRepository::filterable("attrs"));
    EXPECT_FALSE(repo().list_live({{"attrs", "x"}}));
}

TEST_F(AmphoraRepositoryTest, SetRoleChangesRoleAndPriorityOnly) {
    add("a1", "lb1", "ALLOCATED", "2026-01-01T00:00:01",
        {{"role", "BACKUP"}, {"vrrp_priority", 90}, {"compute_id", "c1"}});
    ASSERT_TRUE(repo().set_role("a1", "MASTER", 100, "2026-01-04T00:00:00"));
    auto a = repo().get("a1");
    ASSERT_TRUE(a && *a);
    EXPECT_EQ((*a)->attrs["role"], "MASTER");
    EXPECT_EQ((*a)->attrs["vrrp_priority"], 100);
    EXPECT_EQ((*a)->attrs["compute_id"], "c1");
    EXPECT_EQ((*a)->updated_at, "2026-01-04T00:00:00");
    ASSERT_TRUE(repo().set_role("a1", "STANDALONE", std::nullopt, "2026-01-05T00:00:00"));
    EXPECT_TRUE((*repo().get("a1"))->attrs["vrrp_priority"].is_null());
    EXPECT_FALSE(repo().set_role("nope", "MASTER", 100, "2026-01-05T00:00:00"));
}

TEST_F(AmphoraRepositoryTest, FailoverCandidatesAreAllocatedAmphoraeOfActiveLoadBalancers) {
    add("a1", "lb1", "ALLOCATED", "2026-01-01T00:00:01");
    add("a2", "lb1", "ALLOCATED", "2026-01-01T00:00:02");
    add("a3", "lb1", "ERROR", "2026-01-01T00:00:03");
    add("b1", "lb2", "ALLOCATED", "2026-01-01T00:00:04");  // its LB is not ACTIVE
    AmphoraHealthRepository health(*db_);
    ASSERT_TRUE(health.record_heartbeat("a1", 7, 1'000));
    ASSERT_TRUE(health.mark_busy("a2"));
    auto candidates = repo().failover_candidates();
    ASSERT_TRUE(candidates);
    ASSERT_EQ(candidates->size(), 2u);
    EXPECT_EQ((*candidates)[0].amphora_id, "a1");
    EXPECT_EQ((*candidates)[0].load_balancer_id, "lb1");
    EXPECT_EQ((*candidates)[0].last_seen_ms, 1'000);
    EXPECT_FALSE((*candidates)[0].busy);
    EXPECT_EQ((*candidates)[1].amphora_id, "a2");
    EXPECT_EQ((*candidates)[1].changed_at, "2026-01-01T00:00:02");
    EXPECT_FALSE((*candidates)[1].last_seen_ms);
    EXPECT_TRUE((*candidates)[1].busy);

    EXPECT_TRUE(holds(repo().may_fail_over("a1", "lb1")));
    EXPECT_FALSE(holds(repo().may_fail_over("a2", "lb1")));  // a failover is under way
    EXPECT_FALSE(holds(repo().may_fail_over("a1", "lb2")));  // not its load balancer
    EXPECT_FALSE(holds(repo().may_fail_over("b1", "lb2")));  // load balancer not ACTIVE
    EXPECT_FALSE(holds(repo().may_fail_over("a3", "lb1")));  // not ALLOCATED
}

// Both engines: a heartbeat updates the row a failover's busy mark or an earlier heartbeat made.
TEST_F(AmphoraRepositoryTest, HeartbeatsAndBusyMarksUpdateTheSameHealthRow) {
    add("a1", "lb1", "ALLOCATED", "2026-01-01T00:00:01");
    AmphoraHealthRepository health(*db_);
    ASSERT_TRUE(health.record_heartbeat("a1", 7, 1'000));
    ASSERT_TRUE(health.record_heartbeat("a1", 8, std::nullopt));  // no sign of life: kept
    ASSERT_TRUE(health.mark_busy("a1"));
    auto candidates = repo().failover_candidates();
    ASSERT_TRUE(candidates);
    ASSERT_EQ(candidates->size(), 1u);
    EXPECT_EQ((*candidates)[0].last_seen_ms, 1'000);
    EXPECT_TRUE((*candidates)[0].busy);
    auto seq = health.stored_seq("a1");
    ASSERT_TRUE(seq && *seq);
    EXPECT_EQ(**seq, 8);

    ASSERT_TRUE(health.record_heartbeat("a1", 9, 2'000));  // alive again: busy cleared
    candidates = repo().failover_candidates();
    ASSERT_TRUE(candidates);
    ASSERT_EQ(candidates->size(), 1u);
    EXPECT_EQ((*candidates)[0].last_seen_ms, 2'000);
    EXPECT_FALSE((*candidates)[0].busy);
}

}  // namespace
}  // namespace octane::db::testing
