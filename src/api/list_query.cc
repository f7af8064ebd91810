#include "api/list_query.h"

#include <stdexcept>

#include "common/strings.h"

namespace octane::api {
namespace {

using model::api_error;

bool is_reserved(const std::string& key) {
    return key == "limit" || key == "marker" || key == "sort" || key == "sort_key" ||
           key == "sort_dir" || key == "fields" || key == "page_reverse";
}

void add_list(std::vector<std::string>& out, const std::string& value) {
    for (auto& part : split(value, ',')) {
        if (!part.empty()) {
            out.push_back(part);
        }
    }
}

model::ApiResult<bool> parse_direction(const std::string& dir) {
    if (dir == "asc") {
        return true;
    }
    if (dir == "desc") {
        return false;
    }
    return api_error(400, "Supplied sort direction '" + dir + "' is not valid.");
}

}  // namespace

std::optional<bool> parse_bool(const std::string& text) {
    std::string s = to_lower(text);
    if (s == "true" || s == "1" || s == "yes" || s == "on" || s == "y" || s == "t") {
        return true;
    }
    if (s == "false" || s == "0" || s == "no" || s == "off" || s == "n" || s == "f") {
        return false;
    }
    return std::nullopt;
}

model::ApiResult<ListQuery> parse_list_query(
    const std::vector<std::pair<std::string, std::string>>& params) {
    ListQuery q;
    std::vector<std::string> sort_keys, sort_dirs;
    for (const auto& [key, value] : params) {
        if (key == "limit") {
            if (value == "infinite") {
                q.limit = -1;
                continue;
            }
            try {
                size_t used = 0;
                q.limit = std::stoll(value, &used);
                if (used != value.size()) {
                    throw std::invalid_argument(value);
                }
            } catch (const std::exception&) {
                return api_error(400, "Supplied pagination limit '" + value + "' is not valid.");
            }
            if (q.limit < 1) {
                q.limit = -1;
            }
        } else if (key == "marker") {
            q.marker = value;
        } else if (key == "page_reverse") {
            q.page_reverse = parse_bool(value).value_or(false);
        } else if (key == "fields") {
            add_list(q.fields, value);
        } else if (key == "sort") {
            for (const auto& item : split(value, ',')) {
                if (item.empty()) {
                    continue;
                }
                size_t colon = item.find(':');
                SortKey k{std::string(trim(item.substr(0, colon))), true};
                if (colon != std::string::npos) {
                    auto dir = parse_direction(std::string(trim(item.substr(colon + 1))));
                    if (!dir) {
                        return Unexpected(dir.error());
                    }
                    k.ascending = *dir;
                }
                q.sort.push_back(k);
            }
        } else if (key == "sort_key") {
            add_list(sort_keys, value);
        } else if (key == "sort_dir") {
            add_list(sort_dirs, value);
        } else if (key == "tags") {
            add_list(q.tags, value);
        } else if (key == "tags-any") {
            add_list(q.tags_any, value);
        } else if (key == "not-tags") {
            add_list(q.not_tags, value);
        } else if (key == "not-tags-any") {
            add_list(q.not_tags_any, value);
        } else if (!is_reserved(key)) {
            q.filters.emplace_back(key, value);
        }
    }
    for (size_t i = 0; i < sort_keys.size(); ++i) {
        SortKey k{sort_keys[i], true};
        if (i < sort_dirs.size()) {
            auto dir = parse_direction(sort_dirs[i]);
            if (!dir) {
                return Unexpected(dir.error());
            }
            k.ascending = *dir;
        }
        q.sort.push_back(k);
    }
    if (sort_dirs.size() > sort_keys.size()) {
        return api_error(400, "Supplied sort direction '" + sort_dirs.back() + "' is not valid.");
    }
    q.sort_given = !q.sort.empty();
    return q;
}

std::vector<SortKey> effective_sort(const ListQuery& q) {
    std::vector<SortKey> keys = q.sort;
    for (const char* tie : {"created_at", "id"}) {
        bool present = false;
        for (const auto& k : keys) {
            present = present || k.name == tie;
        }
        if (!present) {
            keys.push_back({tie, true});
        }
    }
    return keys;
}

namespace {

std::string tag_condition(const std::vector<std::string>& tags, bool all, bool negate,
                          std::vector<db::Value>& params) {
    std::string expr =
        "(SELECT COUNT(DISTINCT value) FROM json_each(attrs, '$.tags') WHERE value IN (";
    for (size_t i = 0; i < tags.size(); ++i) {
        expr += i ? ", ?" : "?";
        params.emplace_back(tags[i]);
    }
    expr += "))";
    std::string test = all ? expr + " = " + std::to_string(tags.size()) : expr + " > 0";
    return negate ? "NOT (" + test + ")" : test;
}

}  // namespace

model::ApiResult<SqlQuery> build_sql(const ListQuery& q,
                                     const std::map<std::string, Column>& columns,
                                     const std::string& base_where,
                                     const std::vector<db::Value>& base_params, int64_t max_limit) {
    SqlQuery sql;
    sql.where = base_where.empty() ? "1 = 1" : base_where;
    sql.params = base_params;
    for (const auto& [name, value] : q.filters) {
        auto it = columns.find(name);
        if (it == columns.end()) {
            return api_error(400, "One or more arguments are either duplicate or invalid");
        }
        sql.where += " AND " + it->second.sql + " = ?";
        if (it->second.type == Column::Type::kBool) {
            auto b = parse_bool(value);
            if (!b) {
                return api_error(400, "One or more arguments are either duplicate or invalid");
            }
            sql.params.emplace_back(int64_t{*b ? 1 : 0});
        } else if (it->second.type == Column::Type::kInt) {
            try {
                sql.params.emplace_back(int64_t{std::stoll(value)});
            } catch (const std::exception&) {
                return api_error(400, "One or more arguments are either duplicate or invalid");
            }
        } else {
            sql.params.emplace_back(value);
        }
    }
    if (!q.tags.empty()) {
        sql.where += " AND " + tag_condition(q.tags, true, false, sql.params);
    }
    if (!q.tags_any.empty()) {
        sql.where += " AND " + tag_condition(q.tags_any, false, false, sql.params);
    }
    if (!q.not_tags.empty()) {
        sql.where += " AND " + tag_condition(q.not_tags, true, true, sql.params);
    }
    if (!q.not_tags_any.empty()) {
        sql.where += " AND " + tag_condition(q.not_tags_any, false, true, sql.params);
    }
    for (const auto& key : q.sort) {
        if (!columns.count(key.name)) {
            return api_error(400, "Supplied sort key '" + key.name + "' is not valid.");
        }
    }
    for (const auto& key : effective_sort(q)) {
        bool asc = key.ascending != q.page_reverse;
        // Nulls sort first ascending, as SQLite does by itself and PostgreSQL does not.
        sql.order_by += (sql.order_by.empty() ? "" : ", ") + columns.at(key.name).sql +
                        (asc ? " ASC NULLS FIRST" : " DESC NULLS LAST");
    }
    sql.limit = q.limit > 0 ? std::min(q.limit, max_limit) : max_limit;
    return sql;
}

void add_marker_condition(SqlQuery& sql, const std::vector<SortKey>& keys,
                          const std::map<std::string, Column>& columns,
                          const std::vector<db::Value>& marker_values, bool reverse) {
    // (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... with each key's direction.
    std::string any;
    for (size_t i = 0; i < keys.size(); ++i) {
        std::string clause;
        for (size_t j = 0; j < i; ++j) {
            // Null-safe equality in both engines (SQLite's own `IS` is not PostgreSQL's).
            clause += columns.at(keys[j].name).sql + " IS NOT DISTINCT FROM ? AND ";
            sql.params.push_back(marker_values[j]);
        }
        bool asc = keys[i].ascending != reverse;
        clause += columns.at(keys[i].name).sql + (asc ? " > ?" : " < ?");
        sql.params.push_back(marker_values[i]);
        any += (any.empty() ? "" : " OR ") + ("(" + clause + ")");
    }
    sql.where += " AND (" + any + ")";
}

}  // namespace octane::api
