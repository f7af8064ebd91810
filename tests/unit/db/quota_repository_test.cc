#include "db/quota_repository.h"

#include <gtest/gtest.h>

#include "repository_fixture.h"

namespace octane::db::testing {
namespace {

using QuotaRepositoryTest = RepositoryTest;

TEST_F(QuotaRepositoryTest, EnsureMakesAnEmptyRowAndKeepsAnExistingOne) {
    QuotaRepository quotas(*db_);
    auto none = quotas.get("p1");
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    ASSERT_TRUE(quotas.ensure("p1"));
    EXPECT_EQ(quotas.get("p1")->value(), nlohmann::json::object());
    ASSERT_TRUE(quotas.save("p1", {{"loadbalancer", 5}}));
    ASSERT_TRUE(quotas.ensure("p1"));
    EXPECT_EQ(quotas.get("p1")->value(), (nlohmann::json{{"loadbalancer", 5}}));
}

TEST_F(QuotaRepositoryTest, SaveReplacesAndRemoveSaysWhetherThereWasARow) {
    QuotaRepository quotas(*db_);
    ASSERT_TRUE(quotas.save("p2", {{"pool", 1}}));
    ASSERT_TRUE(quotas.save("p1", {{"member", 3}}));
    ASSERT_TRUE(quotas.save("p2", {{"listener", 2}}));
    EXPECT_EQ(quotas.get("p2")->value(), (nlohmann::json{{"listener", 2}}));
    auto all = quotas.projects(std::nullopt);
    ASSERT_TRUE(all);
    EXPECT_EQ(*all, (std::vector<std::string>{"p1", "p2"}));
    auto one = quotas.projects(std::string("p2"));
    ASSERT_TRUE(one);
    EXPECT_EQ(*one, std::vector<std::string>{"p2"});
    EXPECT_EQ(quotas.remove("p2").value(), true);
    EXPECT_EQ(quotas.remove("p2").value(), false);
    EXPECT_FALSE(*quotas.get("p2"));
}

}  // namespace
}  // namespace octane::db::testing
