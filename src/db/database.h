#pragma once

// The storage seam: SQL with positional parameters over SQLite (embedded default) or PostgreSQL.
// Callers write portable SQL (INSERT ... ON CONFLICT, json_extract, `?` placeholders: both engines
// accept them, see postgres_database.h) and run every multi-statement change inside transaction(),
// which serialises writers across threads and processes. dialect() is for the few statements
// that cannot be written once (schema introspection, row locks).

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

enum class Dialect { kSqlite, kPostgres };

class Database {
  public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;
    virtual Result<Rows> query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Returns the number of rows changed.
    virtual Result<int64_t> exec(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Runs body inside one write transaction; commits when it returns success, rolls back on an
    // error result or an exception (which is rethrown). Nested calls join the outer transaction.
    virtual Result<void> transaction(const std::function<Result<void>()>& body) = 0;
    // A write transaction whose body locks the rows it claims itself (SELECT ... FOR UPDATE SKIP
    // LOCKED on PostgreSQL), so it need not wait for other writers; SQLite has no row locks and
    // runs it as transaction().
    virtual Result<void> row_locked_transaction(const std::function<Result<void>()>& body) {
        return transaction(body);
    }
    // Runs a read-only snapshot (a consistent view across several queries).
    virtual Result<void> read(const std::function<Result<void>()>& body) = 0;
};

}  // namespace octane::db
