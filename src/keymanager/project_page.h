#pragma once

// One page of a project's rows (Barbican lists only the caller's project), oldest first, with the
// total, read in one snapshot so the two agree.

#include <string>
#include <utility>

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

}  // namespace octane::keymanager
