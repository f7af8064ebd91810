// The stale-amphora check over a real (in-memory) database and a fake clock.

#include "controller/health/failover_check.h"

#include "health_fixture.h"

namespace octane::controller::health {
namespace {

using namespace std::chrono_literals;

using testing::HealthDbTest;
using Requests = std::vector<FailoverRequest>;

class FailoverCheckTest : public HealthDbTest {
  protected:
    Requests run(bool never_seen = true, std::chrono::system_clock::time_point started = {}) {
        FailoverCheck check(*db_, clock_, {3s, never_seen, started});
        auto done = check.run_once();
        EXPECT_TRUE(done) << done.error().message;
        return done ? *done : Requests{};
    }
    void seen_at(std::chrono::system_clock::time_point t) {
        exec("INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy) VALUES (?, ?, 1, 0)",
             {std::string("amp"), to_unix_millis(t)});
    }
    std::string lb_status() {
        return cell("SELECT provisioning_status FROM load_balancers WHERE id = 'lb'");
    }
};

TEST_F(FailoverCheckTest, FreshAmphoraIsLeftAlone) {
    seen_at(clock_.now());
    clock_.advance(2s);
    EXPECT_EQ(run(), Requests{});
    EXPECT_EQ(lb_status(), "ACTIVE");
}

TEST_F(FailoverCheckTest, SilentAmphoraIsFailedOverOnce) {
    seen_at(clock_.now());
    exec(
        "INSERT INTO amphora_stats (amphora_id, listener_id, load_balancer_id, bytes_in,"
        " active_connections) VALUES ('amp', 'l1', 'lb', 10, 4)");
    clock_.advance(3500ms);
    EXPECT_EQ(run(), (Requests{{"amp", "lb"}}));
    EXPECT_EQ(lb_status(), "PENDING_UPDATE");
    EXPECT_EQ(cell("SELECT updated_at FROM load_balancers WHERE id = 'lb'"),
              format_timestamp(clock_.now()));
    EXPECT_EQ(cell("SELECT amphora_id FROM failover_requests WHERE load_balancer_id = 'lb'"),
              "amp");
    EXPECT_EQ(cell("SELECT busy FROM amphora_health WHERE amphora_id = 'amp'"), "1");
    EXPECT_EQ(cell("SELECT active_connections FROM amphora_stats"), "0");
    EXPECT_EQ(cell("SELECT bytes_in FROM amphora_stats"), "10");  // counters stay

    // The worker has not run yet; the LB is back to ACTIVE by hand: busy still prevents a repeat.
    exec("UPDATE load_balancers SET provisioning_status = 'ACTIVE'");
    clock_.advance(10s);
    EXPECT_EQ(run(), Requests{});
}

TEST_F(FailoverCheckTest, NeverSeenCountsFromCreation) {
    clock_.advance(2s);
    EXPECT_EQ(run(), Requests{});
    clock_.advance(2s);                 // 4 s after updated_at
    EXPECT_EQ(run(false), Requests{});  // not watched when amphorae have no agent
    EXPECT_EQ(run(), (Requests{{"amp", "lb"}}));
    EXPECT_EQ(cell("SELECT busy FROM amphora_health WHERE amphora_id = 'amp'"), "1");
    EXPECT_EQ(cell("SELECT last_seen_ms FROM amphora_health WHERE amphora_id = 'amp'"), "NULL");
}

TEST_F(FailoverCheckTest, GraceAfterHealthManagerStart) {
    seen_at(clock_.now());
    clock_.advance(60s);
    auto started = clock_.now() - 2s;  // the health manager came up 2 s ago
    EXPECT_EQ(run(true, started), Requests{});
    clock_.advance(2s);
    EXPECT_EQ(run(true, started), (Requests{{"amp", "lb"}}));
}

TEST_F(FailoverCheckTest, OnlyAllocatedAmphoraeOfActiveLoadBalancers) {
    struct Case {
        const char* name;
        const char* sql;
    };
    const Case cases[] = {
        {"lb pending update", "UPDATE load_balancers SET provisioning_status = 'PENDING_UPDATE'"},
        {"lb error", "UPDATE load_balancers SET provisioning_status = 'ERROR'"},
        {"lb pending delete", "UPDATE load_balancers SET provisioning_status = 'PENDING_DELETE'"},
        {"amphora deleted", "UPDATE amphorae SET status = 'DELETED'"},
        {"amphora error", "UPDATE amphorae SET status = 'ERROR'"},
        {"amphora booting", "UPDATE amphorae SET status = 'BOOTING'"},
    };
    for (const Case& c : cases) {
        TearDown();
        SetUp();
        seen_at(clock_.now());
        exec(c.sql);
        clock_.advance(1h);
        EXPECT_EQ(run(), Requests{}) << c.name;
        EXPECT_EQ(cell("SELECT COUNT(*) FROM failover_requests"), "0") << c.name;
    }
}

TEST_F(FailoverCheckTest, HealthRowsOfGoneAmphoraeAreSwept) {
    add_amphora("old", "DELETED", format_timestamp(clock_.now()));
    exec(
        "INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy) VALUES"
        " ('old', 1, 1, 1), ('vanished', 1, 1, 0)");
    seen_at(clock_.now());
    run();
    EXPECT_EQ(cell("SELECT group_concat(amphora_id) FROM amphora_health"), "amp");
}

TEST_F(FailoverCheckTest, TwoLoadBalancersFailIndependently) {
    add(model::Kind::kLoadBalancer, "lb2", "");
    exec("UPDATE load_balancers SET load_balancer_id = id");
    add_amphora("amp2", "ALLOCATED", format_timestamp(clock_.now()), "lb2");
    seen_at(clock_.now());
    clock_.advance(2s);
    exec("INSERT INTO amphora_health (amphora_id, last_seen_ms, seq, busy) VALUES (?, ?, 1, 0)",
         {std::string("amp2"), to_unix_millis(clock_.now())});
    clock_.advance(2s);
    EXPECT_EQ(run(), (Requests{{"amp", "lb"}}));
    clock_.advance(2s);
    EXPECT_EQ(run(), (Requests{{"amp2", "lb2"}}));
}

}  // namespace
}  // namespace octane::controller::health
