// The takeover's memory across controller restarts (drivers/vrrp_graph_store.h).

#include "drivers/vrrp_graph_store.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace octane::drivers {
namespace {

namespace fs = std::filesystem;

class VrrpGraphStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "octane-vrrp-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        base_ = pattern;
    }
    void TearDown() override { fs::remove_all(base_); }
    std::string dir() const { return base_ + "/vrrp"; }
    std::string base_;
};

TEST_F(VrrpGraphStoreTest, AGraphSavedByOneControllerIsLoadedByTheNext) {
    nlohmann::json graph = {{"id", "lb1"}, {"vrrp_group", {{"vrrp_auth_pass", "secret"}}}};
    ASSERT_TRUE(VrrpGraphStore(dir()).save("amp1", {graph, "host-2:4242:9443", "10.0.0.7"}));
    auto loaded = VrrpGraphStore(dir()).load_all();  // a new instance: nothing in memory
    ASSERT_EQ(loaded.size(), 1U);
    EXPECT_EQ(loaded["amp1"].graph, graph);
    EXPECT_EQ(loaded["amp1"].compute_id, "host-2:4242:9443");
    EXPECT_EQ(loaded["amp1"].lb_network_ip, "10.0.0.7");
}

TEST_F(VrrpGraphStoreTest, OnlyTheControllerMayReadIt) {
    ASSERT_TRUE(VrrpGraphStore(dir()).save("amp1", {nlohmann::json::object(), "local:1:2", ""}));
    struct stat st {};
    ASSERT_EQ(stat((dir() + "/amp1.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    ASSERT_EQ(stat(dir().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700U);
}

TEST_F(VrrpGraphStoreTest, ADeletedAmphoraIsForgotten) {
    VrrpGraphStore store(dir());
    ASSERT_TRUE(store.save("amp1", {nlohmann::json::object(), "local:1:2", ""}));
    ASSERT_TRUE(store.save("amp2", {nlohmann::json::object(), "local:3:4", ""}));
    store.forget("amp1");
    auto loaded = store.load_all();
    ASSERT_EQ(loaded.size(), 1U);
    EXPECT_TRUE(loaded.count("amp2"));
}

TEST_F(VrrpGraphStoreTest, UnreadableFilesAreSkipped) {
    VrrpGraphStore store(dir());
    ASSERT_TRUE(store.save("amp1", {nlohmann::json::object(), "local:1:2", ""}));
    std::ofstream(dir() + "/torn.json") << "{\"graph\": {";
    std::ofstream(dir() + "/amp3.json.tmp") << "{}";
    auto loaded = store.load_all();
    ASSERT_EQ(loaded.size(), 1U);
    EXPECT_TRUE(loaded.count("amp1"));
}

TEST_F(VrrpGraphStoreTest, NothingSavedIsNothingLoaded) {
    EXPECT_TRUE(VrrpGraphStore(dir()).load_all().empty());  // the directory does not exist
}

}  // namespace
}  // namespace octane::drivers
