#pragma once

// PostgreSQL behind the Database seam (libpq). One connection per process, guarded by a recursive
// mutex like the SQLite connection, so callers see the same semantics on either engine:
// - transaction() takes one cluster-wide advisory lock after BEGIN, serialising writers across
//   threads and processes as SQLite's BEGIN IMMEDIATE does. The control plane's transactions
//   read, decide and write (quota checks, IP allocation, name uniqueness) without row locks; under
//   READ COMMITTED alone two processes could both decide on the same old state. Writes are short
//   and few next to reads, so one lock costs little and keeps every such path correct.
// - row_locked_transaction() skips that lock, for paths that lock their rows themselves
//   (the worker's lease claim: FOR UPDATE SKIP LOCKED).
// - read() is a REPEATABLE READ snapshot.
// - a failed statement inside a transaction does not doom it (each runs under a savepoint), as a
//   failed statement in SQLite leaves the transaction usable: callers map constraint errors to
//   API faults and carry on.

#include <memory>
#include <mutex>
#include <unordered_map>

#include "db/database.h"

struct pg_conn;

namespace octane::db {

class PostgresDatabase final : public Database {
  public:
    // conninfo: a libpq URI, postgresql://user@host/db or postgresql:///db?host=/socket/dir
    static Result<std::unique_ptr<PostgresDatabase>> open(const std::string& conninfo);
    ~PostgresDatabase() override;

    Dialect dialect() const override { return Dialect::kPostgres; }
    Result<Rows> query(const std::string& sql, const std::vector<Value>& params) override;
    Result<int64_t> exec(const std::string& sql, const std::vector<Value>& params) override;
    Result<void> transaction(const std::function<Result<void>()>& body) override;
    Result<void> row_locked_transaction(const std::function<Result<void>()>& body) override;
    Result<void> read(const std::function<Result<void>()>& body) override;

  private:
    explicit PostgresDatabase(pg_conn* conn) : conn_(conn) {}
    struct Outcome {
        Rows rows;
        int64_t changed = 0;
    };
    Result<Outcome> run(const std::string& sql, const std::vector<Value>& params);
    Result<Outcome> run_once(const std::string& sql, const std::vector<Value>& params);
    Result<void> run_plain(const char* sql);
    Result<void> scoped(const char* begin_sql, bool writer_lock,
                        const std::function<Result<void>()>& body);
    // Before a statement outside any transaction: a connection the server dropped is opened again.
    void reconnect_if_broken();
    // The name of sql prepared on this session (parsed and planned once, like SQLite's cache).
    Result<const std::string*> prepared(const std::string& sql);

    pg_conn* conn_;
    std::recursive_mutex mutex_;
    int depth_ = 0;               // transaction nesting, guarded by mutex_
    bool writer_locked_ = false;  // the open transaction holds the writers' lock; by mutex_
    std::unordered_map<std::string, std::string> statements_;  // SQL -> name; by mutex_
    uint64_t next_statement_ = 0;                              // by mutex_
};

}  // namespace octane::db
