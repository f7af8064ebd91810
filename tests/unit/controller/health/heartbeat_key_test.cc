#include "controller/health/heartbeat_key.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace octane::controller::health {
namespace {

class HeartbeatKeyTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/octane-hbkey-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string dir_;
};

TEST_F(HeartbeatKeyTest, CreatedOnceWithOwnerOnlyMode) {
    auto first = load_or_create_heartbeat_key(dir_);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->size(), 64u);
    EXPECT_EQ(first->find_first_not_of("0123456789abcdef"), std::string::npos);
    struct stat st {};
    ASSERT_EQ(stat((dir_ + "/heartbeat.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto second = load_or_create_heartbeat_key(dir_);
    ASSERT_TRUE(second);
    EXPECT_EQ(*second, *first);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                            std::filesystem::directory_iterator()),
              1);  // no temp file left behind
}

TEST_F(HeartbeatKeyTest, ExistingKeyIsReadTrimmed) {
    std::ofstream(dir_ + "/heartbeat.key") << "operator-chosen\n";
    auto key = load_or_create_heartbeat_key(dir_);
    ASSERT_TRUE(key);
    EXPECT_EQ(*key, "operator-chosen");
}

TEST_F(HeartbeatKeyTest, EmptyOrUnwritableFails) {
    std::ofstream(dir_ + "/heartbeat.key") << "\n";
    EXPECT_FALSE(load_or_create_heartbeat_key(dir_));
    EXPECT_FALSE(load_or_create_heartbeat_key(dir_ + "/missing/dir"));
}

}  // namespace
}  // namespace octane::controller::health
