#pragma once

// Octavia's list semantics (docs/octavia-api.md §5.1): equality filters, tag filters, sorting,
// limit/marker/ page_reverse pagination and field selection, parsed from query parameters and
// turned into SQL over one table. Pure apart from nothing: it only builds strings.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "model/api_error.h"

namespace octane::api {

// How an API attribute is reached in SQL and how a filter value is typed.
struct Column {
    std::string sql;  // "provisioning_status" or "json_extract(attrs, '$.name')"
    enum class Type { kText, kBool, kInt } type = Column::Type::kText;
};

struct SortKey {
    std::string name;
    bool ascending = true;
};

struct ListQuery {
    std::vector<std::pair<std::string, std::string>> filters;  // API name, value
    std::vector<std::string> tags, tags_any, not_tags, not_tags_any;
    std::vector<SortKey> sort;  // as requested (empty = default)
    bool sort_given = false;
    int64_t limit = 0;  // 0 = no limit requested (the max limit applies)
    std::optional<std::string> marker;
    bool page_reverse = false;
    std::vector<std::string> fields;
};

// Parses list parameters. Unknown filters are checked later against the column map.
model::ApiResult<ListQuery> parse_list_query(
    const std::vector<std::pair<std::string, std::string>>& params);

// Oslo's bool strings.
std::optional<bool> parse_bool(const std::string& text);

struct SqlQuery {
    std::string where;  // without "WHERE"
    std::vector<db::Value> params;
    std::string order_by;
    int64_t limit = 0;
};

// Builds the WHERE/ORDER BY/LIMIT for a table. base_where (with base_params) is the caller's
// scope (e.g. "parent_id = ?"). marker_row holds the marker's sort-key values, in sort order.
model::ApiResult<SqlQuery> build_sql(const ListQuery& q,
                                     const std::map<std::string, Column>& columns,
                                     const std::string& base_where,
                                     const std::vector<db::Value>& base_params, int64_t max_limit);

// The sort keys actually used: the request's, then created_at and id as tie-breakers.
std::vector<SortKey> effective_sort(const ListQuery& q);

// Appends the keyset condition "after the marker" given the marker row's values for the keys.
void add_marker_condition(SqlQuery& sql, const std::vector<SortKey>& keys,
                          const std::map<std::string, Column>& columns,
                          const std::vector<db::Value>& marker_values, bool reverse);

}  // namespace octane::api
