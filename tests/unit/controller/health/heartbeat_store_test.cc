// Heartbeat -> database: statuses, statistics, liveness, and what is ignored.

#include "controller/health/heartbeat_store.h"

#include "health_fixture.h"

namespace octane::controller::health {
namespace {

using namespace std::chrono_literals;

using testing::HealthDbTest;

class HeartbeatStoreTest : public HealthDbTest {
  protected:
    ApplyOutcome apply(const wire::Heartbeat& hb) {
        HeartbeatStore store(*db_);
        auto done = store.apply(hb, clock_.now());
        EXPECT_TRUE(done) << done.error().message;
        return done ? *done : ApplyOutcome::kUnknownAmphora;
    }
    std::string stat(const char* column) {
        return cell(std::string("SELECT ") + column +
                    " FROM amphora_stats WHERE amphora_id = 'amp' AND listener_id = 'l1'");
    }
};

TEST_F(HeartbeatStoreTest, MemberDownDegradesPoolAndLoadBalancer) {
    EXPECT_EQ(apply(beat(1, "UP", "DOWN")), ApplyOutcome::kApplied);
    EXPECT_EQ(operating("members", "m1"), "ONLINE");
    EXPECT_EQ(operating("members", "m2"), "ERROR");
    EXPECT_EQ(operating("pools", "p1"), "DEGRADED");
    EXPECT_EQ(operating("listeners", "l1"), "ONLINE");
    EXPECT_EQ(operating("load_balancers", "lb"), "DEGRADED");

    EXPECT_EQ(apply(beat(2)), ApplyOutcome::kApplied);
    EXPECT_EQ(operating("members", "m2"), "ONLINE");
    EXPECT_EQ(operating("pools", "p1"), "ONLINE");
    EXPECT_EQ(operating("load_balancers", "lb"), "ONLINE");
}

TEST_F(HeartbeatStoreTest, ProvisioningStatusAndTimestampsUntouched) {
    std::string before = cell("SELECT updated_at FROM load_balancers WHERE id = 'lb'");
    clock_.advance(5s);
    apply(beat(1));
    EXPECT_EQ(cell("SELECT provisioning_status FROM load_balancers WHERE id = 'lb'"), "ACTIVE");
    EXPECT_EQ(cell("SELECT updated_at FROM load_balancers WHERE id = 'lb'"), before);
}

TEST_F(HeartbeatStoreTest, StatisticsAccumulateAndGaugeReplaces) {
    apply(beat(1));
    wire::Heartbeat second = beat(2);
    second.listeners["l1"].stats = {50, 7, 9, 2, 0};
    apply(second);
    EXPECT_EQ(stat("bytes_out"), "150");
    EXPECT_EQ(stat("bytes_in"), "17");
    EXPECT_EQ(stat("active_connections"), "9");
    EXPECT_EQ(stat("total_connections"), "7");
    EXPECT_EQ(stat("request_errors"), "1");
    EXPECT_EQ(stat("load_balancer_id"), "lb");
}

TEST_F(HeartbeatStoreTest, VersionTwoCountersReplace) {
    apply(beat(1));
    wire::Heartbeat absolute = beat(2);
    absolute.ver = 2;
    absolute.listeners["l1"].stats = {40, 4, 1, 2, 0};
    apply(absolute);
    EXPECT_EQ(stat("bytes_out"), "40");
    EXPECT_EQ(stat("total_connections"), "2");
}

TEST_F(HeartbeatStoreTest, LivenessRecordedAndBusyCleared) {
    exec(
        "INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy) VALUES ('amp', 5, 3, 1)");
    apply(beat(4));
    EXPECT_EQ(cell("SELECT last_seen_ms FROM amphora_health WHERE amphora_id = 'amp'"),
              std::to_string(to_unix_millis(clock_.now())));
    EXPECT_EQ(cell("SELECT seq FROM amphora_health WHERE amphora_id = 'amp'"), "4");
    EXPECT_EQ(cell("SELECT busy FROM amphora_health WHERE amphora_id = 'amp'"), "0");
    HeartbeatStore store(*db_);
    auto seq = store.stored_seq("amp");
    ASSERT_TRUE(seq && *seq);
    EXPECT_EQ(**seq, 4);
}

TEST_F(HeartbeatStoreTest, IncompleteReportKeepsSeqButNotLiveness) {
    wire::Heartbeat empty = beat(1);
    empty.listeners.clear();  // the LB has one enabled listener: not a complete report
    EXPECT_EQ(apply(empty), ApplyOutcome::kApplied);
    EXPECT_EQ(cell("SELECT last_seen_ms FROM amphora_health WHERE amphora_id = 'amp'"), "NULL");
    EXPECT_EQ(cell("SELECT seq FROM amphora_health WHERE amphora_id = 'amp'"), "1");
    EXPECT_EQ(operating("listeners", "l1"), "ERROR");  // enabled, LB ACTIVE, missing
}

TEST_F(HeartbeatStoreTest, IgnoredHeartbeatsChangeNothing) {
    struct Case {
        const char* name;
        void (*edit)(HeartbeatStoreTest&);
        std::string amphora;
        ApplyOutcome outcome;
    };
    const Case cases[] = {
        {"unknown amphora", [](HeartbeatStoreTest&) {}, "nobody", ApplyOutcome::kUnknownAmphora},
        {"deleted amphora",
         [](HeartbeatStoreTest& t) { t.exec("UPDATE amphorae SET status = 'DELETED'"); }, "amp",
         ApplyOutcome::kUnknownAmphora},
        {"lb pending delete",
         [](HeartbeatStoreTest& t) {
             t.exec("UPDATE load_balancers SET provisioning_status = 'PENDING_DELETE'");
         },
         "amp", ApplyOutcome::kInactiveLoadBalancer},
        {"lb deleted",
         [](HeartbeatStoreTest& t) {
             t.exec("UPDATE load_balancers SET provisioning_status = 'DELETED'");
         },
         "amp", ApplyOutcome::kInactiveLoadBalancer},
        {"lb row gone", [](HeartbeatStoreTest& t) { t.exec("DELETE FROM load_balancers"); }, "amp",
         ApplyOutcome::kInactiveLoadBalancer},
    };
    for (const Case& c : cases) {
        TearDown();
        SetUp();
        c.edit(*this);
        wire::Heartbeat hb = beat(1, "DOWN", "DOWN");
        hb.amphora_id = c.amphora;
        EXPECT_EQ(apply(hb), c.outcome) << c.name;
        EXPECT_EQ(cell("SELECT COUNT(*) FROM amphora_stats"), "0") << c.name;
        EXPECT_EQ(cell("SELECT COUNT(*) FROM amphora_health"), "0") << c.name;
        EXPECT_EQ(operating("members", "m1"), "OFFLINE") << c.name;
    }
}

}  // namespace
}  // namespace octane::controller::health
