#include "db/object_store.h"

#include <gtest/gtest.h>

#include "repository_fixture.h"

namespace octane::db::testing {
namespace {

using model::Kind;
using ObjectStoreTest = RepositoryTest;

TreeObject listener(const std::string& id, const std::string& project, const std::string& lb,
                    const std::string& status) {
    TreeObject o;
    o.id = id;
    o.project_id = project;
    o.load_balancer_id = lb;
    o.parent_id = lb;
    o.provisioning_status = status;
    o.operating_status = "ONLINE";
    o.created_at = "2026-01-01T00:00:00";
    return o;
}

TEST_F(ObjectStoreTest, CountsWhatAQuotaCounts) {
    ObjectStore store(*db_);
    ASSERT_TRUE(store.insert(Kind::kListener, listener("l1", "p1", "lb1", "ACTIVE")));
    ASSERT_TRUE(store.insert(Kind::kListener, listener("l2", "p1", "lb2", "PENDING_CREATE")));
    ASSERT_TRUE(store.insert(Kind::kListener, listener("l3", "p1", "lb1", "DELETED")));
    ASSERT_TRUE(store.insert(Kind::kListener, listener("l4", "p2", "lb1", "ACTIVE")));
    EXPECT_EQ(*store.count_in_use(Kind::kListener, "p1"), 2);
    EXPECT_EQ(*store.count_in_use(Kind::kPool, "p1"), 0);
    EXPECT_EQ(*store.count_of_load_balancer(Kind::kListener, "lb1"), 3);
}

TEST_F(ObjectStoreTest, SetAttrsReplacesTheAttributesOnly) {
    ObjectStore store(*db_);
    TreeObject l = listener("l1", "p1", "lb1", "ACTIVE");
    l.attrs = {{"name", "a"}, {"protocol", "HTTP"}};
    ASSERT_TRUE(store.insert(Kind::kListener, l));
    ASSERT_TRUE(store.set_attrs(Kind::kListener, "l1", {{"name", "b"}}));
    auto got = store.get(Kind::kListener, "l1");
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->attrs, (nlohmann::json{{"name", "b"}}));
    EXPECT_EQ((*got)->provisioning_status, "ACTIVE");
}

TEST_F(ObjectStoreTest, ChildIdsPagesAndMarkers) {
    ObjectStore store(*db_);
    TreeObject second = listener("p2", "p1", "lb1", "ACTIVE");
    second.parent_id = "l1";
    second.attrs = {{"position", 2}};
    TreeObject first = listener("p1", "p1", "lb1", "ACTIVE");
    first.parent_id = "l1";
    first.attrs = {{"position", 10}};
    first.created_at = "2025-01-01T00:00:00";  // older, but later in evaluation order
    ASSERT_TRUE(store.insert(Kind::kL7Policy, second));
    ASSERT_TRUE(store.insert(Kind::kL7Policy, first));
    auto pairs = store.child_ids(Kind::kL7Policy, "parent_id", {"l1", "l9"});
    ASSERT_TRUE(pairs);
    using Pair = std::pair<std::string, std::string>;
    EXPECT_EQ(*pairs, (std::vector<Pair>{{"l1", "p2"}, {"l1", "p1"}}));
    EXPECT_TRUE(store.child_ids(Kind::kL7Policy, "parent_id", {})->empty());

    auto rows = store.page(Kind::kL7Policy, "project_id = ?", "created_at, id", 1, {"p1"});
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(ObjectStore::from_row(rows->front()).id, "p1");

    auto marker =
        store.row_values(Kind::kL7Policy, "created_at, id", "p2", "project_id = ?", {"p1"});
    ASSERT_TRUE(marker && *marker);
    EXPECT_EQ((*marker)->text(1), "p2");
    auto hidden = store.row_values(Kind::kL7Policy, "id", "p2", "project_id = ?", {"other"});
    ASSERT_TRUE(hidden);
    EXPECT_FALSE(*hidden);
}

}  // namespace
}  // namespace octane::db::testing
