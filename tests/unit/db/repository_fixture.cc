#include "repository_fixture.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "db/amphora_health_schema.h"
#include "db/object_store.h"
#include "db/postgres_database.h"
#include "db/schema.h"
#include "db/sqlite_database.h"

namespace octane::db::testing {
namespace {

std::string pg_dir;  // the cluster of this run, empty on SQLite
std::string pg_url;

bool on_postgres() {
    const char* engine = std::getenv("OCTANE_TEST_DATABASE");
    return engine != nullptr && std::string(engine) == "postgresql";
}

std::string script() {
    return std::string(OCTANE_SOURCE_DIR) + "/scripts/test-postgres.sh";
}

std::string make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "octane-repo-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    return made != nullptr ? std::string(made) : std::string();
}

}  // namespace

// One cluster for the whole run (starting one takes seconds), stopped when the run ends.
class PostgresCluster : public ::testing::Environment {
  public:
    void SetUp() override {
        if (!on_postgres()) {
            return;
        }
        pg_dir = make_temp_dir();
        std::string command = script() + " start " + pg_dir;
        FILE* out = popen(command.c_str(), "r");
        ASSERT_NE(out, nullptr);
        std::array<char, 512> line{};
        while (fgets(line.data(), line.size(), out) != nullptr) {
            pg_url = line.data();
        }
        ASSERT_EQ(pclose(out), 0) << command;
        while (!pg_url.empty() && (pg_url.back() == '\n' || pg_url.back() == '\r')) {
            pg_url.pop_back();
        }
    }

    void TearDown() override {
        if (!pg_dir.empty()) {
            std::string command = script() + " stop " + pg_dir;
            EXPECT_EQ(std::system(command.c_str()), 0);
            pg_dir.clear();
        }
    }
};

[[maybe_unused]] const ::testing::Environment* const kCluster =
    ::testing::AddGlobalTestEnvironment(new PostgresCluster);

void RepositoryTest::SetUp() {
    if (on_postgres()) {
        ASSERT_FALSE(pg_url.empty()) << "no PostgreSQL cluster";
        auto opened = PostgresDatabase::open(pg_url);
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(*opened);
        ASSERT_TRUE(db_->exec("DROP SCHEMA public CASCADE", {}));
        ASSERT_TRUE(db_->exec("CREATE SCHEMA public", {}));
    } else {
        dir_ = make_temp_dir();
        ASSERT_FALSE(dir_.empty());
        auto opened = SqliteDatabase::open(dir_ + "/octane.sqlite");
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(*opened);
    }
    auto migrated = migrate(*db_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    ASSERT_TRUE(migrate_amphora_health(*db_));
}

void RepositoryTest::TearDown() {
    db_.reset();
    if (!dir_.empty()) {
        std::filesystem::remove_all(dir_);
    }
}

void RepositoryTest::add_load_balancer(const std::string& id,
                                       const std::string& provisioning_status,
                                       const std::string& project) {
    TreeObject lb;
    lb.id = id;
    lb.project_id = project;
    lb.load_balancer_id = id;
    lb.provisioning_status = provisioning_status;
    lb.operating_status = "ONLINE";
    lb.created_at = "2026-01-01T00:00:00";
    ASSERT_TRUE(ObjectStore(*db_).insert(model::Kind::kLoadBalancer, lb));
}

std::unique_ptr<Database> RepositoryTest::open_another() {
    if (on_postgres()) {
        auto opened = PostgresDatabase::open(pg_url);
        EXPECT_TRUE(opened) << opened.error().message;
        return opened ? std::unique_ptr<Database>(std::move(*opened)) : nullptr;
    }
    auto opened = SqliteDatabase::open(dir_ + "/octane.sqlite");
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::unique_ptr<Database>(std::move(*opened)) : nullptr;
}

std::string RepositoryTest::scalar(const std::string& sql, const std::vector<Value>& params) {
    auto rows = db_->query(sql, params);
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    if (!rows || rows->empty() || rows->front().is_null(0)) {
        return "";
    }
    return rows->front().text(0);
}

}  // namespace octane::db::testing
