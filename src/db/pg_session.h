#pragma once

// One libpq connection and what belongs to it: its prepared statements, its transaction nesting
// and whether its open transaction holds the writers' lock. Used by one thread at a time: the
// pool (postgres_database.h) lends a session to a thread for a statement or a whole transaction.

#include <memory>
#include <string>
#include <unordered_map>

#include "db/database.h"

struct pg_conn;

namespace octane::db {

class PgSession {
  public:
    static Result<std::unique_ptr<PgSession>> connect(const std::string& conninfo);
    ~PgSession();
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;

    struct Outcome {
        Rows rows;
        int64_t changed = 0;
    };
    // Inside a transaction the statement runs under a savepoint, so its failure does not doom
    // the transaction; savepoint, statement and release travel in one round trip (a pipeline).
    Result<Outcome> run(const std::string& sql, const std::vector<Value>& params);
    // begin_sql opens the transaction; writer_lock takes the writers' advisory lock with it.
    // Nested calls join the open transaction.
    Result<void> scoped(const char* begin_sql, bool writer_lock,
                        const std::function<Result<void>()>& body);
    // Before a statement outside any transaction: a connection the server dropped is opened again.
    void reconnect_if_broken();
    bool in_transaction() const { return depth_ > 0; }

  private:
    explicit PgSession(pg_conn* conn) : conn_(conn) {}
    Result<Outcome> run_once(const std::string& name, const std::string& sql,
                             const std::vector<Value>& params);
    Result<Outcome> run_in_savepoint(const std::string& sql, const std::vector<Value>& params);
    Result<void> run_plain(const char* sql);
    // The name of sql prepared on this session (parsed and planned once, like SQLite's cache).
    Result<const std::string*> prepared(const std::string& sql);
    // A name for a statement about to be prepared; at the cache's bound, forgets all first.
    Result<std::string> new_statement_name();

    pg_conn* conn_;
    int depth_ = 0;               // transaction nesting
    bool writer_locked_ = false;  // the open transaction holds the writers' lock
    bool broken_ = false;         // out of step with the server: reconnect before the next use
    std::unordered_map<std::string, std::string> statements_;  // SQL -> name
    uint64_t next_statement_ = 0;
};

}  // namespace octane::db
