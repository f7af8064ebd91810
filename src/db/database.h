#pragma once

// The storage seam: SQL with positional parameters over SQLite (embedded default) or, later,
// PostgreSQL. Callers write portable SQL (no engine-specific upserts) and run every multi-statement
// change inside transaction(), which serialises writers across threads and processes.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"

namespace octane::db {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

struct Row {
    std::vector<Value> values;

    bool is_null(size_t i) const { return std::holds_alternative<std::nullptr_t>(values[i]); }
    std::string text(size_t i) const;
    std::optional<std::string> optional_text(size_t i) const;
    int64_t integer(size_t i) const;
};

using Rows = std::vector<Row>;

class Database {
  public:
    virtual ~Database() = default;
    virtual Result<Rows> query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Returns the number of rows changed.
    virtual Result<int64_t> exec(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Runs body inside one write transaction; commits when it returns success, rolls back on an
    // error result or an exception (which is rethrown). Nested calls join the outer transaction.
    virtual Result<void> transaction(const std::function<Result<void>()>& body) = 0;
    // Runs a read-only snapshot (a consistent view across several queries).
    virtual Result<void> read(const std::function<Result<void>()>& body) = 0;
};

}  // namespace octane::db
