// Draining a disabled host over a real (in-memory) database: the host state of
// db/compute_hosts.h, the request of failover_check.h.

#include "controller/health/host_evacuation.h"

#include "db/compute_hosts.h"
#include "health_fixture.h"

namespace octane::controller::health {
namespace {

using testing::HealthDbTest;

class HostEvacuationTest : public HealthDbTest {
  protected:
    void SetUp() override {
        HealthDbTest::SetUp();
        ASSERT_TRUE(db::ComputeHosts(*db_).register_hosts({"host-1", "host-2"}, "t0"));
        exec("UPDATE amphorae SET attrs = ? WHERE id = 'amp'",
             {std::string(R"({"cached_zone": "host-1", "role": "STANDALONE"})")});
    }
    std::optional<FailoverRequest> run() {
        FailoverCheck check(*db_, clock_, {});
        HostEvacuation evacuation(*db_, check, /*peers_may_share_host=*/false);
        auto done = evacuation.run_once();
        EXPECT_TRUE(done) << done.error().message;
        return done ? *done : std::nullopt;
    }
    void set_enabled(const std::string& host, bool enabled) {
        auto changed = db::ComputeHosts(*db_).set_enabled(host, enabled, "t1");
        ASSERT_TRUE(changed && *changed);
    }
};

TEST_F(HostEvacuationTest, EnabledHostsAreLeftAlone) {
    EXPECT_EQ(run(), std::nullopt);
    EXPECT_EQ(cell("SELECT provisioning_status FROM load_balancers WHERE id = 'lb'"), "ACTIVE");
}

TEST_F(HostEvacuationTest, AmphoraOfDisabledHostIsFailedOverOnce) {
    set_enabled("host-1", false);
    auto requested = run();
    ASSERT_TRUE(requested);
    EXPECT_EQ(*requested, (FailoverRequest{"amp", "lb"}));
    EXPECT_EQ(cell("SELECT provisioning_status FROM load_balancers WHERE id = 'lb'"),
              "PENDING_UPDATE");
    EXPECT_EQ(cell("SELECT amphora_id FROM failover_requests"), "amp");
    EXPECT_EQ(run(), std::nullopt);  // in progress: nothing more until the worker is done
}

TEST_F(HostEvacuationTest, ListCountsAmphoraeAndUnknownHostIsRefused) {
    db::ComputeHosts hosts(*db_);
    auto listed = hosts.list();
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].host, "host-1");
    EXPECT_EQ((*listed)[0].amphorae, 1);
    EXPECT_EQ((*listed)[1].amphorae, 0);
    auto unknown = hosts.set_enabled("host-9", false, "t");
    ASSERT_TRUE(unknown);
    EXPECT_FALSE(*unknown);
    set_enabled("host-2", false);
    set_enabled("host-2", true);
    auto disabled = hosts.disabled();
    ASSERT_TRUE(disabled);
    EXPECT_TRUE(disabled->empty());
    // Registering again keeps the admin state.
    set_enabled("host-1", false);
    ASSERT_TRUE(hosts.register_hosts({"host-1", "host-2"}, "t2"));
    EXPECT_EQ(*hosts.disabled(), std::vector<std::string>{"host-1"});
}

}  // namespace
}  // namespace octane::controller::health
