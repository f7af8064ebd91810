#pragma once

// A small control-plane database for the health manager tests: SQLite in memory, the real
// schema plus the health table, one ACTIVE load balancer "lb" with listener "l1", pool "p1"
// (members "m1", "m2") and amphora "amp" (ALLOCATED), all operating OFFLINE. A settable clock.

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "../../../support/fake_clock.h"
#include "common/clock.h"
#include "db/amphora_health_schema.h"
#include "db/object_store.h"
#include "db/schema.h"
#include "db/sqlite_database.h"
#include "wire/heartbeat.h"

namespace octane::controller::health::testing {

using namespace std::chrono_literals;

using test_support::FakeClock;

class HealthDbTest : public ::testing::Test {
  public:
    void SetUp() override {
        auto opened = db::SqliteDatabase::open(":memory:");
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(*opened);
        ASSERT_TRUE(db::migrate(*db_));
        ASSERT_TRUE(db::migrate_amphora_health(*db_));
        ASSERT_TRUE(db::migrate_amphora_health(*db_));  // idempotent
        add(model::Kind::kLoadBalancer, "lb", "");
        add(model::Kind::kListener, "l1", "lb");
        add(model::Kind::kPool, "p1", "lb");
        add(model::Kind::kMember, "m1", "p1");
        add(model::Kind::kMember, "m2", "p1");
        add_amphora("amp", "ALLOCATED", format_timestamp(clock_.now()));
    }

    void add(model::Kind kind, const std::string& id, const std::string& parent) {
        db::ObjectStore store(*db_);
        db::TreeObject o;
        o.id = id;
        o.project_id = "project";
        o.load_balancer_id = "lb";
        o.parent_id = parent;
        o.provisioning_status = "ACTIVE";
        o.operating_status = "OFFLINE";
        o.created_at = format_timestamp(clock_.now());
        o.attrs = {{"admin_state_up", true}};
        ASSERT_TRUE(store.insert(kind, o));
    }

    void add_amphora(const std::string& id, const std::string& status,
                     const std::string& updated_at, const std::string& lb = "lb") {
        auto done = db_->exec(
            "INSERT INTO amphorae (id, load_balancer_id, status, created_at, updated_at, attrs)"
            " VALUES (?, ?, ?, ?, ?, '{}')",
            {id, lb, status, updated_at, updated_at});
        ASSERT_TRUE(done) << done.error().message;
    }

    // One column of one row as text ("" when there is no such row; "NULL" for NULL).
    std::string cell(const std::string& sql, const std::vector<db::Value>& params = {}) {
        auto rows = db_->query(sql, params);
        EXPECT_TRUE(rows) << rows.error().message;
        if (!rows || rows->empty()) {
            return "";
        }
        return rows->front().is_null(0) ? "NULL" : rows->front().text(0);
    }

    std::string operating(const char* table, const std::string& id) {
        return cell(std::string("SELECT operating_status FROM ") + table + " WHERE id = ?", {id});
    }

    void exec(const std::string& sql, const std::vector<db::Value>& params = {}) {
        auto done = db_->exec(sql, params);
        ASSERT_TRUE(done) << done.error().message;
    }

    // A v3 heartbeat of "amp": l1 OPEN, pool p1 UP with the given member states.
    static wire::Heartbeat beat(int64_t seq, const std::string& m1 = "UP",
                                const std::string& m2 = "UP") {
        wire::Heartbeat hb;
        hb.amphora_id = "amp";
        hb.seq = seq;
        hb.listeners["l1"] = {"OPEN", {100, 10, 3, 5, 1}};
        hb.pools["p1:l1"] = {"UP", {{"m1", m1}, {"m2", m2}}};
        return hb;
    }

    FakeClock clock_;
    std::unique_ptr<db::SqliteDatabase> db_;
};

}  // namespace octane::controller::health::testing
