#pragma once

// One page of a project's rows, and one row by id, (Barbican lists only the caller's project),
// oldest first, with the total, read in one snapshot so the two agree.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "db/database.h"

namespace octane::keymanager {

struct Page {
    int64_t offset = 0;
    int64_t limit = 10;
};

// name filters exactly when not empty. table and columns are the caller's constants.
Result<std::pair<db::Rows, int64_t>> project_page(db::Database& db, const std::string& table,
                                                  const std::string& columns,
                                                  const std::string& project_id,
                                                  const std::string& name, Page page);

// The same page with each row made into Row by from_row.
template <typename Row, typename FromRow>
Result<std::pair<std::vector<Row>, int64_t>> project_page_of(
    db::Database& db, const std::string& table, const std::string& columns,
    const std::string& project_id, const std::string& name, Page page, FromRow from_row) {
    auto rows = project_page(db, table, columns, project_id, name, page);
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::pair<std::vector<Row>, int64_t> out;
    for (const auto& row : rows->first) {
        out.first.push_back(from_row(row));
    }
    out.second = rows->second;
    return out;
}

// The row of table with that id, made into Row by from_row; nullopt when there is none.
template <typename Row, typename FromRow>
Result<std::optional<Row>> row_by_id(db::Database& db, const std::string& table,
                                     const std::string& columns, const std::string& id,
                                     FromRow from_row) {
    auto rows = db.query("SELECT " + columns + " FROM " + table + " WHERE id = ?", {id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<Row>();
    }
    return std::optional<Row>(from_row(rows->front()));
}

}  // namespace octane::keymanager
