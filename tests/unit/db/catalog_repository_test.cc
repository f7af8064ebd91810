#include "db/catalog_repository.h"

#include <gtest/gtest.h>

#include "db/object_store.h"
#include "repository_fixture.h"

namespace octane::db::testing {
namespace {

using CatalogRepositoryTest = RepositoryTest;

TEST_F(CatalogRepositoryTest, RowsNamesAndProfilesOfFlavors) {
    CatalogRepository profiles(*db_, CatalogTable::kFlavorProfiles);
    CatalogRepository flavors(*db_, CatalogTable::kFlavors);
    ASSERT_TRUE(
        profiles.insert({"fp1", "2026-01-01T00:00:00", {{"name", "p"}, {"flavor_data", "{}"}}}));
    ASSERT_TRUE(flavors.insert(
        {"f1", "2026-01-01T00:00:01", {{"name", "small"}, {"flavor_profile_id", "fp1"}}}));
    EXPECT_TRUE(*flavors.exists("f1"));
    EXPECT_FALSE(*flavors.exists("fp1"));  // another table
    EXPECT_TRUE(*flavors.name_taken("small", "other"));
    EXPECT_FALSE(*flavors.name_taken("small", "f1"));
    EXPECT_TRUE(*profiles.in_use("fp1"));
    auto profile = CatalogRepository::profile_of_flavor(*db_, "f1");
    ASSERT_TRUE(profile && *profile);
    EXPECT_EQ((**profile)["flavor_data"], "{}");
    EXPECT_FALSE(*CatalogRepository::profile_of_flavor(*db_, "nope"));

    ASSERT_TRUE(flavors.set_attrs("f1", {{"name", "big"}, {"flavor_profile_id", "fp1"}}));
    auto row = flavors.get("f1");
    ASSERT_TRUE(row && *row);
    EXPECT_EQ((*row)->attrs["name"], "big");
    EXPECT_EQ((*row)->created_at, "2026-01-01T00:00:01");
    auto page = flavors.list("1 = 1", "created_at, id", 10, {});
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 1u);
    ASSERT_TRUE(flavors.remove("f1"));
    EXPECT_FALSE(*flavors.get("f1"));
    EXPECT_FALSE(*profiles.in_use("fp1"));
}

TEST_F(CatalogRepositoryTest, AFlavorIsInUseByLiveLoadBalancersOnly) {
    CatalogRepository flavors(*db_, CatalogTable::kFlavors);
    ASSERT_TRUE(flavors.insert({"f1", "2026-01-01T00:00:00", {{"name", "small"}}}));
    EXPECT_FALSE(*flavors.in_use("f1"));
    ObjectStore store(*db_);
    TreeObject lb;
    lb.id = "lb1";
    lb.project_id = "p";
    lb.load_balancer_id = "lb1";
    lb.provisioning_status = "DELETED";
    lb.operating_status = "OFFLINE";
    lb.created_at = "2026-01-01T00:00:00";
    lb.attrs = {{"flavor_id", "f1"}, {"vip_port_id", "port1"}};
    ASSERT_TRUE(store.insert(model::Kind::kLoadBalancer, lb));
    EXPECT_FALSE(*flavors.in_use("f1"));
    EXPECT_FALSE(*store.live_load_balancer_on_port("port1"));
    lb.provisioning_status = "ACTIVE";
    ASSERT_TRUE(store.update(model::Kind::kLoadBalancer, lb));
    EXPECT_TRUE(*flavors.in_use("f1"));
    EXPECT_EQ(*store.live_load_balancer_on_port("port1"), std::optional<std::string>("lb1"));
}

}  // namespace
}  // namespace octane::db::testing
