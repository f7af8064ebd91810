// The engine-specific promises of db::PostgresDatabase that the API suite cannot see one by one:
// SQLite-shaped JSON and values, writers serialised across sessions, a failed statement not
// dooming its transaction, reconnecting after the server drops the session, and the worker's
// lease claims side by side.

#include "db/postgres_database.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "controller/worker/lease.h"
#include "db/schema.h"
#include "db/sqlite_compat.h"

namespace octane::db {
namespace {

std::string run_command(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
        out += buffer;
    }
    ::pclose(pipe);
    while (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

// One cluster for the whole binary; stopped (by its postmaster's PID) when the binary ends.
class Cluster : public ::testing::Environment {
  public:
    void SetUp() override {
        char pattern[] = "/tmp/octane-pgdb-XXXXXX";
        const char* made = ::mkdtemp(pattern);
        ASSERT_NE(made, nullptr);
        dir_ = made;
        url_ = run_command(std::string(OCTANE_TEST_POSTGRES_SCRIPT) + " start " + dir_);
        ASSERT_EQ(url_.rfind("postgresql://", 0), 0u) << url_;
    }
    void TearDown() override {
        if (!dir_.empty()) {
            run_command(std::string(OCTANE_TEST_POSTGRES_SCRIPT) + " stop " + dir_);
        }
    }
    static const std::string& url() { return url_; }

  private:
    std::string dir_;
    static inline std::string url_;
};

// Through the seam, as the rest of Octane sees it (and with its default arguments).
std::unique_ptr<Database> connect() {
    auto db = PostgresDatabase::open(Cluster::url());
    EXPECT_TRUE(db) << (db ? "" : db.error().message);
    if (!db) {
        return nullptr;
    }
    return std::unique_ptr<Database>(std::move(*db));
}

TEST(PostgresDatabase, JsonFunctionsAnswerAsSqlite) {
    auto db = connect();
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->transaction([&] { return install_sqlite_compat(*db); }));
    const std::string doc =
        R"({"name":"web","weight":10,"ratio":1.5,"up":true,"down":false,"gone":null,)"
        R"("nested":{"port":80},"tags":["a","b","a"]})";
    auto rows = db->query(
        "SELECT json_extract(?, '$.name'), json_extract(?, '$.weight'), json_extract(?, "
        "'$.ratio'), json_extract(?, '$.up'), json_extract(?, '$.down'), json_extract(?, "
        "'$.gone'), json_extract(?, '$.missing'), json_extract(?, '$.nested.port'),"
        " CAST(json_extract(?, '$.weight') AS BIGINT)",
        {doc, doc, doc, doc, doc, doc, doc, doc, doc});
    ASSERT_TRUE(rows) << rows.error().message;
    const Row& row = rows->front();
    EXPECT_EQ(row.text(0), "web");
    EXPECT_EQ(row.text(1), "10");
    EXPECT_EQ(row.text(2), "1.5");
    EXPECT_EQ(row.text(3), "1");
    EXPECT_EQ(row.text(4), "0");
    EXPECT_TRUE(row.is_null(5));
    EXPECT_TRUE(row.is_null(6));
    EXPECT_EQ(row.text(7), "80");
    EXPECT_EQ(row.values[8], Value(int64_t{10}));
    auto tags =
        db->query("SELECT COUNT(DISTINCT value) FROM json_each(?, '$.tags') WHERE value IN (?, ?)",
                  {doc, std::string("a"), std::string("z")});
    ASSERT_TRUE(tags) << tags.error().message;
    EXPECT_EQ(tags->front().values[0], Value(int64_t{1}));
    auto none = db->query("SELECT COUNT(*) FROM json_each(?, '$.name')", {doc});
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_EQ(none->front().integer(0), 0);
}

TEST(PostgresDatabase, ValuesAndParametersRoundTrip) {
    auto db = connect();
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE typed (n BIGINT, d DOUBLE PRECISION, t TEXT, b BOOLEAN)"));
    auto inserted = db->exec("INSERT INTO typed VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
                             {int64_t{1733600000123}, 0.25, std::string("it's ?"), int64_t{1},
                              int64_t{2}, nullptr, nullptr, int64_t{0}});
    ASSERT_TRUE(inserted) << inserted.error().message;
    EXPECT_EQ(*inserted, 2);
    auto rows = db->query("SELECT n, d, t, b FROM typed ORDER BY n DESC");
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ((*rows)[0].values, (std::vector<Value>{int64_t{1733600000123}, 0.25,
                                                     std::string("it's ?"), int64_t{1}}));
    EXPECT_EQ((*rows)[1].values, (std::vector<Value>{int64_t{2}, nullptr, nullptr, int64_t{0}}));
    auto sum = db->query("SELECT SUM(n) FROM typed WHERE n > ? LIMIT ?", {int64_t{0}, int64_t{5}});
    ASSERT_TRUE(sum) << sum.error().message;
    EXPECT_EQ(sum->front().values[0], Value(int64_t{1733600000125}));
}

// One read-then-write transaction on table's single counter row.
Result<void> increment(Database& db, const std::string& table) {
    return db.transaction([&]() -> Result<void> {
        auto rows = db.query("SELECT n FROM " + table);
        if (!rows) {
            return Unexpected(rows.error());
        }
        auto written = db.exec("UPDATE " + table + " SET n = ?", {rows->front().integer(0) + 1});
        if (!written) {
            return Unexpected(written.error());
        }
        return {};
    });
}

// Read-then-write from several sessions at once: without the writers' lock, READ COMMITTED
// would let two sessions read the same count and lose an increment.
TEST(PostgresDatabase, TransactionsSerialiseWritersAcrossSessions) {
    auto setup = connect();
    ASSERT_TRUE(setup);
    ASSERT_TRUE(setup->exec("CREATE TABLE counter (n BIGINT NOT NULL)"));
    ASSERT_TRUE(setup->exec("INSERT INTO counter VALUES (0)"));
    constexpr int kSessions = 4;
    constexpr int kIncrements = 25;
    std::vector<std::thread> threads;
    std::vector<int> failures(kSessions, 0);
    for (int s = 0; s < kSessions; ++s) {
        threads.emplace_back([&, s] {
            auto db = connect();
            if (!db) {
                failures[s] = kIncrements;
                return;
            }
            for (int i = 0; i < kIncrements; ++i) {
                failures[s] += increment(*db, "counter") ? 0 : 1;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (int f : failures) {
        EXPECT_EQ(f, 0);
    }
    auto rows = setup->query("SELECT n FROM counter");
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->front().integer(0), kSessions * kIncrements);
}

// The same, with the threads sharing one database object (and its pool of sessions).
TEST(PostgresDatabase, PooledTransactionsStaySerialised) {
    auto opened = PostgresDatabase::open(Cluster::url(), 3);
    ASSERT_TRUE(opened);
    PostgresDatabase& db = **opened;
    ASSERT_TRUE(db.exec("CREATE TABLE pooled_counter (n BIGINT NOT NULL)", {}));
    ASSERT_TRUE(db.exec("INSERT INTO pooled_counter VALUES (0)", {}));
    constexpr int kThreads = 6;
    constexpr int kIncrements = 20;
    std::vector<std::thread> threads;
    std::vector<int> failures(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kIncrements; ++i) {
                failures[t] += increment(db, "pooled_counter") ? 0 : 1;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (int f : failures) {
        EXPECT_EQ(f, 0);
    }
    EXPECT_EQ(db.query("SELECT n FROM pooled_counter", {})->front().integer(0),
              kThreads * kIncrements);
    // The process's writers queued for their turn without holding a session each.
    EXPECT_EQ(db.sessions(), 1u);
}

// Two threads of one process are inside read() at the same time, on two sessions; and a read
// beside an open write transaction neither waits for it nor sees its uncommitted row.
TEST(PostgresDatabase, ReadsRunInParallel) {
    auto opened = PostgresDatabase::open(Cluster::url(), 2);
    ASSERT_TRUE(opened);
    PostgresDatabase& db = **opened;
    ASSERT_TRUE(db.exec("CREATE TABLE parallel_rows (id TEXT PRIMARY KEY)", {}));
    std::mutex mutex;
    std::condition_variable changed;
    int inside = 0;
    std::vector<int64_t> backends;
    // Each reader waits (bounded) inside its read until the other is inside too: with one
    // session per process the second could not enter and both would time out.
    auto reader = [&] {
        auto done = db.read([&]() -> Result<void> {
            auto pid = db.query("SELECT pg_backend_pid()", {});
            if (!pid) {
                return Unexpected(pid.error());
            }
            std::unique_lock lock(mutex);
            backends.push_back(pid->front().integer(0));
            ++inside;
            changed.notify_all();
            if (!changed.wait_for(lock, std::chrono::seconds(10), [&] { return inside >= 2; })) {
                return make_error("the other reader never got in");
            }
            return {};
        });
        EXPECT_TRUE(done) << done.error().message;
    };
    std::thread first(reader);
    std::thread second(reader);
    first.join();
    second.join();
    ASSERT_EQ(backends.size(), 2u);
    EXPECT_NE(backends[0], backends[1]);

    bool written = false;
    bool read_done = false;
    std::thread writer([&] {
        auto done = db.transaction([&]() -> Result<void> {
            auto added = db.exec("INSERT INTO parallel_rows VALUES ('uncommitted')", {});
            if (!added) {
                return Unexpected(added.error());
            }
            std::unique_lock lock(mutex);
            written = true;
            changed.notify_all();
            if (!changed.wait_for(lock, std::chrono::seconds(10), [&] { return read_done; })) {
                return make_error("the reader never finished beside the open transaction");
            }
            return {};
        });
        EXPECT_TRUE(done) << done.error().message;
    });
    {
        std::unique_lock lock(mutex);
        EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return written; }));
    }
    auto seen = db.query("SELECT COUNT(*) FROM parallel_rows", {});
    {
        std::lock_guard lock(mutex);
        read_done = true;
    }
    changed.notify_all();
    writer.join();
    ASSERT_TRUE(seen) << seen.error().message;
    EXPECT_EQ(seen->front().integer(0), 0);
    EXPECT_EQ(db.query("SELECT COUNT(*) FROM parallel_rows", {})->front().integer(0), 1);
}

TEST(PostgresDatabase, FailedStatementLeavesTheTransactionUsable) {
    auto db = connect();
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE unique_names (name TEXT PRIMARY KEY)"));
    auto done = db->transaction([&]() -> Result<void> {
        EXPECT_TRUE(db->exec("INSERT INTO unique_names VALUES (?)", {std::string("a")}));
        auto duplicate = db->exec("INSERT INTO unique_names VALUES (?)", {std::string("a")});
        EXPECT_FALSE(duplicate);
        // A statement that cannot even be prepared (its first use) spoils nothing either.
        EXPECT_FALSE(db->query("SELECT no_such_column FROM unique_names"));
        auto next = db->exec("INSERT INTO unique_names VALUES (?)", {std::string("b")});
        EXPECT_TRUE(next) << (next ? "" : next.error().message);
        return {};
    });
    ASSERT_TRUE(done) << done.error().message;
    auto rows = db->query("SELECT COUNT(*) FROM unique_names");
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->front().integer(0), 2);
    // An error result rolls everything back.
    auto undone = db->transaction([&]() -> Result<void> {
        EXPECT_TRUE(db->exec("INSERT INTO unique_names VALUES (?)", {std::string("c")}));
        return make_error("changed my mind");
    });
    EXPECT_FALSE(undone);
    EXPECT_EQ(db->query("SELECT COUNT(*) FROM unique_names")->front().integer(0), 2);
}

TEST(PostgresDatabase, ReconnectsAfterTheServerDropsTheSession) {
    auto db = connect();
    auto admin = connect();
    ASSERT_TRUE(db && admin);
    auto pid = db->query("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid);
    ASSERT_TRUE(admin->query("SELECT pg_terminate_backend(?)", {pid->front().integer(0)}));
    // The call in flight learns what happened; the next one runs on a new session. The
    // termination is asynchronous: bounded retries until the old session is really gone.
    bool saw_loss = false;
    for (int attempt = 0; attempt < 50 && !saw_loss; ++attempt) {
        auto lost = db->query("SELECT 1");
        if (!lost) {
            EXPECT_NE(lost.error().message.find("connection lost"), std::string::npos)
                << lost.error().message;
            saw_loss = true;
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(saw_loss);
    auto again = db->query("SELECT pg_backend_pid()");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_NE(again->front().integer(0), pid->front().integer(0));
}

// Workers in several sessions claim at once (FOR UPDATE SKIP LOCKED, no writers' lock): every
// pending load balancer goes to exactly one of them.
TEST(PostgresDatabase, LeaseClaimsNeverOverlap) {
    auto setup = connect();
    ASSERT_TRUE(setup);
    ASSERT_TRUE(migrate(*setup));
    constexpr int kLoadBalancers = 40;
    // Unique per run, so --gtest_repeat hunts the race on one database (earlier runs' load
    // balancers stay leased to their owners and are not claimable).
    static int run = 0;
    const std::string prefix = "lb-" + std::to_string(run++) + "-";
    for (int i = 0; i < kLoadBalancers; ++i) {
        auto added = setup->exec(
            "INSERT INTO load_balancers (id, provisioning_status, operating_status, created_at,"
            " attrs) VALUES (?, 'PENDING_CREATE', 'OFFLINE', '2026-01-01T00:00:00', '{}')",
            {prefix + std::to_string(i)});
        ASSERT_TRUE(added) << added.error().message;
    }
    constexpr int kWorkers = 4;
    std::vector<std::vector<std::string>> claimed(kWorkers);
    std::vector<std::thread> threads;
    for (int w = 0; w < kWorkers; ++w) {
        threads.emplace_back([&, w] {
            auto db = connect();
            if (!db) {
                return;
            }
            controller::LeaseTable leases(
                *db, controller::LeaseOwner{"host-" + std::to_string(w), 1, "n"}, 600000);
            for (int attempt = 0; attempt < kLoadBalancers; ++attempt) {
                auto got = leases.claim(1000);
                if (!got || !*got) {
                    return;
                }
                claimed[w].push_back(**got);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::vector<std::string> all;
    for (const auto& mine : claimed) {
        all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all.size(), static_cast<size_t>(kLoadBalancers));
    EXPECT_TRUE(std::adjacent_find(all.begin(), all.end()) == all.end()) << "claimed twice";
    auto leases = setup->query("SELECT COUNT(*) FROM work_leases WHERE load_balancer_id LIKE ?",
                               {prefix + "%"});
    ASSERT_TRUE(leases);
    EXPECT_EQ(leases->front().integer(0), kLoadBalancers);
}

}  // namespace
}  // namespace octane::db

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::AddGlobalTestEnvironment(new octane::db::Cluster);
    return RUN_ALL_TESTS();
}
