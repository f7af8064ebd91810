#include "api/list_query.h"

#include <gtest/gtest.h>

namespace octane::api {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

const std::map<std::string, Column> kColumns = {
    {"id", {"id"}},
    {"created_at", {"created_at"}},
    {"name", {"json_extract(attrs, '$.name')"}},
    {"admin_state_up", {"json_extract(attrs, '$.admin_state_up')", Column::Type::kBool}},
    {"protocol_port", {"json_extract(attrs, '$.protocol_port')", Column::Type::kInt}},
};

TEST(ParseListQuery, SortForms) {
    auto q = parse_list_query({{"sort", "name:desc,protocol_port"}});
    ASSERT_TRUE(q.has_value());
    ASSERT_EQ(q->sort.size(), 2u);
    EXPECT_FALSE(q->sort[0].ascending);
    EXPECT_TRUE(q->sort[1].ascending);
    auto legacy = parse_list_query({{"sort_key", "name"}, {"sort_dir", "desc"}});
    ASSERT_TRUE(legacy.has_value());
    EXPECT_EQ(legacy->sort[0].name, "name");
    EXPECT_FALSE(legacy->sort[0].ascending);
    auto bad = parse_list_query({{"sort", "name:sideways"}});
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().message, "Supplied sort direction 'sideways' is not valid.");
}

TEST(ParseListQuery, LimitAndFields) {
    auto q = parse_list_query({{"limit", "5"}, {"fields", "id"}, {"fields", "name,vip_address"}});
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->limit, 5);
    EXPECT_EQ(q->fields, (std::vector<std::string>{"id", "name", "vip_address"}));
    EXPECT_FALSE(parse_list_query({{"limit", "five"}}).has_value());
    EXPECT_EQ(parse_list_query({{"limit", "0"}})->limit, -1);
}

TEST(BuildSql, FiltersAreTypedAndUnknownOnesRejected) {
    auto q =
        parse_list_query({{"name", "lb"}, {"admin_state_up", "False"}, {"protocol_port", "22"}});
    auto sql = build_sql(*q, kColumns, "", {}, 1000);
    ASSERT_TRUE(sql.has_value());
    ASSERT_EQ(sql->params.size(), 3u);
    EXPECT_EQ(std::get<std::string>(sql->params[0]), "lb");
    EXPECT_EQ(std::get<int64_t>(sql->params[1]), 0);
    EXPECT_EQ(std::get<int64_t>(sql->params[2]), 22);
    auto unknown = build_sql(*parse_list_query({{"show_deleted", "1"}}), kColumns, "", {}, 1000);
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().message, "One or more arguments are either duplicate or invalid");
    auto bad_sort = build_sql(*parse_list_query({{"sort", "bogus"}}), kColumns, "", {}, 1000);
    ASSERT_FALSE(bad_sort.has_value());
    EXPECT_EQ(bad_sort.error().message, "Supplied sort key 'bogus' is not valid.");
}

TEST(BuildSql, DefaultOrderAndLimitCap) {
    auto sql = build_sql(*parse_list_query({{"limit", "5000"}}), kColumns, "", {}, 1000);
    ASSERT_TRUE(sql.has_value());
    // Nulls placed explicitly: SQLite and PostgreSQL differ by default.
    EXPECT_EQ(sql->order_by, "created_at ASC NULLS FIRST, id ASC NULLS FIRST");
    EXPECT_EQ(sql->limit, 1000);
    auto reversed = build_sql(*parse_list_query({{"page_reverse", "True"}, {"sort", "name:desc"}}),
                              kColumns, "", {}, 1000);
    EXPECT_EQ(reversed->order_by,
              "json_extract(attrs, '$.name') ASC NULLS FIRST, created_at DESC NULLS LAST, id DESC "
              "NULLS LAST");
}

TEST(Marker, KeysetCondition) {
    auto sql = build_sql(*parse_list_query({}), kColumns, "", {}, 10);
    add_marker_condition(*sql, effective_sort(*parse_list_query({})), kColumns,
                         {std::string("2026-01-01T00:00:00"), std::string("abc")}, false);
    EXPECT_NE(sql->where.find("(created_at > ?) OR (created_at IS NOT DISTINCT FROM ? AND id > ?)"),
              std::string::npos);
    EXPECT_EQ(sql->params.size(), 3u);
}

}  // namespace
}  // namespace octane::api
