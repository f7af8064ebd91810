#include "db/table_columns.h"

namespace octane::db {

Result<std::vector<std::string>> table_columns(Database& db, const std::string& table) {
    auto rows = db.dialect() == Dialect::kPostgres
                    ? db.query(
                          "SELECT column_name FROM information_schema.columns WHERE"
                          " table_schema = current_schema() AND table_name = ?",
                          {table})
                    : db.query("SELECT name FROM pragma_table_info(?)", {table});
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<std::string> names;
    for (const auto& row : *rows) {
        names.push_back(row.text(0));
    }
    return names;
}

}  // namespace octane::db
