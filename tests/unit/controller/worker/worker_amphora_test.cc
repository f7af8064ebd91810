// The worker's amphora bookkeeping around a controller killed -9 (docs/design.md §1): an amphora
// is a BOOTING row before anything starts, so a worker that dies while it boots leaves a row the
// next worker retires, never a process nobody knows of. Real worker threads over SQLite in
// memory, a recording amphora driver.

#include <chrono>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "../../../support/fake_clock.h"
#include "controller/worker/worker.h"
#include "db/object_store.h"
#include "db/schema.h"
#include "db/sqlite_database.h"
#include "drivers/noop_network_driver.h"

namespace octane::controller {
namespace {

using nlohmann::json;

// Records what the worker asks; create_amphora also records the amphora row's status at that
// moment (what a worker killed right then would leave behind).
class RecordingDriver final : public drivers::AmphoraDriver {
  public:
    explicit RecordingDriver(db::Database& db) : db_(db) {}

    Result<drivers::AmphoraInfo> create_amphora(const std::string& id, const json&,
                                                const drivers::AmphoraRequest&) override {
        auto rows = db_.query("SELECT status FROM amphorae WHERE id = ?", {id});
        std::lock_guard lock(mutex_);
        created.push_back(id);
        status_while_booting.push_back(rows && !rows->empty() ? rows->front().text(0) : "none");
        if (fail_create) {
            return make_error("no room for an amphora");
        }
        drivers::AmphoraInfo info;
        info.id = id;
        info.compute_id = "fake:" + id;
        info.lb_network_ip = "127.0.0.1";
        return info;
    }
    Result<void> apply(const drivers::AmphoraInfo& amphora, const json&) override {
        std::lock_guard lock(mutex_);
        applied.push_back(amphora.id);
        return {};
    }
    Result<void> delete_amphora(const drivers::AmphoraInfo& amphora) override {
        std::lock_guard lock(mutex_);
        deleted.push_back(amphora.id);
        return {};
    }

    std::mutex mutex_;
    bool fail_create = false;
    std::vector<std::string> created, status_while_booting, applied, deleted;

  private:
    db::Database& db_;
};

class WorkerAmphoraTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = db::SqliteDatabase::open(":memory:");
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(*opened);
        ASSERT_TRUE(db::migrate(*db_));
        driver_ = std::make_unique<RecordingDriver>(*db_);
    }

    void add_load_balancer(const std::string& status) {
        db::TreeObject lb;
        lb.id = "lb";
        lb.project_id = "project";
        lb.load_balancer_id = "lb";
        lb.provisioning_status = status;
        lb.operating_status = "OFFLINE";
        lb.created_at = format_timestamp(clock_.now());
        lb.attrs = {{"admin_state_up", true},
                    {"vip_address", "10.0.0.10"},
                    {"vip_port_id", "port"},
                    {"vip_subnet_id", "subnet"}};
        ASSERT_TRUE(db::ObjectStore(*db_).insert(model::Kind::kLoadBalancer, lb));
    }

    // Runs one worker thread until the load balancer is no longer PENDING_* (bounded).
    void run_worker() {
        drivers::NoopNetworkDriver network;
        WorkerOptions options;
        options.poll_ms = 5;
        Worker worker(*db_, *driver_, network, clock_, options);
        worker.start();
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (lb_status().rfind("PENDING_", 0) == 0 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        worker.stop();
    }

    std::string lb_status() { return cell("SELECT provisioning_status FROM load_balancers"); }

    std::string cell(const std::string& sql, const std::vector<db::Value>& params = {}) {
        auto rows = db_->query(sql, params);
        EXPECT_TRUE(rows) << rows.error().message;
        return rows && !rows->empty() ? rows->front().text(0) : "";
    }

    test_support::FakeClock clock_;
    std::unique_ptr<db::SqliteDatabase> db_;
    std::unique_ptr<RecordingDriver> driver_;
};

TEST_F(WorkerAmphoraTest, AmphoraIsBookedBootingBeforeItStartsAndAllocatedAfter) {
    add_load_balancer("PENDING_CREATE");
    run_worker();
    EXPECT_EQ(lb_status(), "ACTIVE");
    ASSERT_EQ(driver_->created.size(), 1u);
    EXPECT_EQ(driver_->status_while_booting, std::vector<std::string>{"BOOTING"});
    const std::string& id = driver_->created.front();
    EXPECT_EQ(cell("SELECT status FROM amphorae WHERE id = ?", {id}), "ALLOCATED");
    EXPECT_EQ(cell("SELECT json_extract(attrs, '$.compute_id') FROM amphorae WHERE id = ?", {id}),
              "fake:" + id);
    EXPECT_EQ(driver_->applied, std::vector<std::string>{id});
}

TEST_F(WorkerAmphoraTest, BootingLeftoverOfADeadWorkerIsRetiredAndReplaced) {
    add_load_balancer("PENDING_CREATE");
    // What a worker killed during create_amphora left: the row, no compute_id, and its lease.
    ASSERT_TRUE(db_->exec(
        "INSERT INTO amphorae (id, load_balancer_id, status, created_at, updated_at, attrs)"
        " VALUES ('left', 'lb', 'BOOTING', ?, ?, ?)",
        {format_timestamp(clock_.now()), format_timestamp(clock_.now()),
         json({{"compute_id", nullptr}, {"role", "STANDALONE"}}).dump()}));
    run_worker();
    EXPECT_EQ(lb_status(), "ACTIVE");
    EXPECT_EQ(driver_->deleted, std::vector<std::string>{"left"});
    EXPECT_EQ(cell("SELECT status FROM amphorae WHERE id = 'left'"), "DELETED");
    ASSERT_EQ(driver_->created.size(), 1u);
    EXPECT_EQ(driver_->applied, driver_->created);
    EXPECT_EQ(cell("SELECT COUNT(*) FROM amphorae WHERE status = 'ALLOCATED'"), "1");
}

TEST_F(WorkerAmphoraTest, FailedStartIsCleanedUpAndItsRowDeleted) {
    driver_->fail_create = true;
    add_load_balancer("PENDING_CREATE");
    run_worker();
    EXPECT_EQ(lb_status(), "ERROR");
    ASSERT_EQ(driver_->created.size(), 1u);
    // Whatever the failed start left on the host is removed (a directory, a late agent).
    EXPECT_EQ(driver_->deleted, driver_->created);
    EXPECT_EQ(cell("SELECT status FROM amphorae WHERE id = ?", {driver_->created.front()}),
              "DELETED");
}

}  // namespace
}  // namespace octane::controller
