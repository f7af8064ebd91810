#pragma once

// SQLite behind the Database seam. One connection per process, guarded by a recursive mutex:
// SQLite serialises writers anyway, and WAL mode lets other processes (octane api / worker over
// the same file) read while one writes. BEGIN IMMEDIATE takes the write lock up front so two
// processes never deadlock upgrading read locks; busy_timeout makes them queue instead of failing.

#include <memory>
#include <mutex>
#include <unordered_map>

#include <sqlite3.h>

#include "db/database.h"

namespace octane::db {

class SqliteDatabase final : public Database {
  public:
    static Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path);
    ~SqliteDatabase() override;

    Dialect dialect() const override { return Dialect::kSqlite; }
    Result<Rows> query(const std::string& sql, const std::vector<Value>& params) override;
    Result<int64_t> exec(const std::string& sql, const std::vector<Value>& params) override;
    Result<void> transaction(const std::function<Result<void>()>& body) override;
    Result<void> read(const std::function<Result<void>()>& body) override;

  private:
    explicit SqliteDatabase(sqlite3* handle) : handle_(handle) {}
    // A cached statement, reset and bound to params; done() resets it again (releasing its
    // read or write lock) instead of finalizing it, so a repeated statement (every heartbeat
    // writes the same handful) is parsed once per connection, not once per call.
    Result<sqlite3_stmt*> prepare(const std::string& sql, const std::vector<Value>& params);
    void done(sqlite3_stmt* stmt);
    Result<void> run_plain(const char* sql);
    Result<void> scoped(const char* begin_sql, const std::function<Result<void>()>& body);

    sqlite3* handle_;
    std::recursive_mutex mutex_;
    int depth_ = 0;  // transaction nesting, guarded by mutex_
    std::unordered_map<std::string, sqlite3_stmt*> statements_;  // guarded by mutex_
};

}  // namespace octane::db
