#include "keymanager/project_page.h"

namespace octane::keymanager {

Result<std::pair<db::Rows, int64_t>> project_page(db::Database& db, const std::string& table,
                                                  const std::string& columns,
                                                  const std::string& project_id,
                                                  const std::string& name, Page page) {
    const std::string where = " FROM " + table + " WHERE project_id = ?" +
                              std::string(name.empty() ? "" : " AND name = ?");
    std::vector<db::Value> params = {project_id};
    if (!name.empty()) {
        params.emplace_back(name);
    }
    std::pair<db::Rows, int64_t> out;
    auto done = db.read([&]() -> Result<void> {
        auto total = db.query("SELECT COUNT(*)" + where, params);
        if (!total) {
            return Unexpected(total.error());
        }
        out.second = total->front().integer(0);
        auto with_page = params;
        with_page.emplace_back(page.limit);
        with_page.emplace_back(page.offset);
        auto rows = db.query("SELECT " + columns + where + " ORDER BY created, id LIMIT ? OFFSET ?",
                             with_page);
        if (!rows) {
            return Unexpected(rows.error());
        }
        out.first = std::move(*rows);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

}  // namespace octane::keymanager
