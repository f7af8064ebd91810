#include "db/postgres_database.h"

#include <libpq-fe.h>

#include "db/pg_text.h"
#include "db/transaction_scope.h"

namespace octane::db {
namespace {

// The key of the writers' advisory lock ("octane" in ASCII): any constant works as long as every
// Octane process uses the same one and nothing else in the database takes it.
constexpr const char* kTakeWriterLock = "SELECT pg_advisory_xact_lock(122498575396453)";

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed_error(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

// The error of a failed statement; a dropped connection is named as such, since the statement's
// fate is then unknown. The next call outside a transaction connects again (reconnect_if_broken).
Unexpected<Error> failure(PGconn* conn, const PGresult* result, const std::string& sql) {
    std::string message =
        trimmed_error(result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    if (PQstatus(conn) == CONNECTION_BAD) {
        return make_error("database connection lost (will reconnect): " + message + " in " + sql);
    }
    return make_error("SQL failed: " + message + " in " + sql);
}

bool succeeded(const PGresult* result) {
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

// CREATE ... IF NOT EXISTS and friends report NOTICEs; libpq's default prints them on stderr.
void ignore_notice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::open(const std::string& conninfo) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (conn == nullptr) {
        return make_error("cannot connect to PostgreSQL: out of memory");
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string message = trimmed_error(PQerrorMessage(conn));
        PQfinish(conn);
        // Not the URL: it may hold a password. libpq names the host or socket.
        return make_error("cannot connect to PostgreSQL: " + message);
    }
    PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    return std::unique_ptr<PostgresDatabase>(new PostgresDatabase(conn));
}

PostgresDatabase::~PostgresDatabase() {
    PQfinish(conn_);
}

void PostgresDatabase::reconnect_if_broken() {
    if (depth_ == 0 && PQstatus(conn_) == CONNECTION_BAD) {
        PQreset(conn_);
        PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
        statements_.clear();  // prepared statements belong to the session that is gone
    }
}

Result<const std::string*> PostgresDatabase::prepared(const std::string& sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) {
        return &it->second;
    }
    // Bounded: statements built from varying text (IN lists) must not grow it without end.
    constexpr size_t kMaxStatements = 512;
    if (statements_.size() >= kMaxStatements) {
        if (auto done = run_plain("DEALLOCATE ALL"); !done) {
            return Unexpected(done.error());
        }
        statements_.clear();
    }
    std::string name = "octane_" + std::to_string(next_statement_++);
    ResultPtr result(
        PQprepare(conn_, name.c_str(), to_numbered_placeholders(sql).c_str(), 0, nullptr));
    if (!succeeded(result.get())) {
        return failure(conn_, result.get(), sql);
    }
    return &statements_.emplace(sql, std::move(name)).first->second;
}

Result<PostgresDatabase::Outcome> PostgresDatabase::run_once(const std::string& sql,
                                                             const std::vector<Value>& params) {
    auto name = prepared(sql);
    if (!name) {
        return Unexpected(name.error());
    }
    std::vector<std::optional<std::string>> texts;
    texts.reserve(params.size());
    std::vector<const char*> pointers;
    pointers.reserve(params.size());
    for (const auto& value : params) {
        texts.push_back(to_pg_text(value));
        pointers.push_back(texts.back() ? texts.back()->c_str() : nullptr);
    }
    ResultPtr result(PQexecPrepared(conn_, (*name)->c_str(), static_cast<int>(pointers.size()),
                                    pointers.data(), nullptr, nullptr, 0));
    if (!succeeded(result.get())) {
        // Prepared again next time: a plan can go stale (a column added by a newer process).
        statements_.erase(sql);
        return failure(conn_, result.get(), sql);
    }
    Outcome outcome;
    const char* changed = PQcmdTuples(result.get());
    outcome.changed = changed && *changed ? std::stoll(changed) : 0;
    int columns = PQnfields(result.get());
    int count = PQntuples(result.get());
    outcome.rows.reserve(static_cast<size_t>(count));
    for (int r = 0; r < count; ++r) {
        Row row;
        row.values.reserve(static_cast<size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(result.get(), r, c)) {
                row.values.emplace_back(nullptr);
            } else {
                row.values.push_back(from_pg_text(
                    PQftype(result.get(), c),
                    std::string_view(PQgetvalue(result.get(), r, c),
                                     static_cast<size_t>(PQgetlength(result.get(), r, c)))));
            }
        }
        outcome.rows.push_back(std::move(row));
    }
    return outcome;
}

Result<PostgresDatabase::Outcome> PostgresDatabase::run(const std::string& sql,
                                                        const std::vector<Value>& params) {
    std::lock_guard lock(mutex_);
    if (depth_ == 0) {
        reconnect_if_broken();
        return run_once(sql, params);
    }
    if (auto saved = run_plain("SAVEPOINT octane_statement"); !saved) {
        return Unexpected(saved.error());
    }
    auto outcome = run_once(sql, params);
    if (!outcome) {
        (void)run_plain("ROLLBACK TO SAVEPOINT octane_statement");
    }
    (void)run_plain("RELEASE SAVEPOINT octane_statement");
    return outcome;
}

Result<Rows> PostgresDatabase::query(const std::string& sql, const std::vector<Value>& params) {
    auto outcome = run(sql, params);
    if (!outcome) {
        return Unexpected(outcome.error());
    }
    return std::move(outcome->rows);
}

Result<int64_t> PostgresDatabase::exec(const std::string& sql, const std::vector<Value>& params) {
    auto outcome = run(sql, params);
    if (!outcome) {
        return Unexpected(outcome.error());
    }
    return outcome->changed;
}

Result<void> PostgresDatabase::run_plain(const char* sql) {
    ResultPtr result(PQexec(conn_, sql));
    if (!succeeded(result.get())) {
        return failure(conn_, result.get(), sql);
    }
    return {};
}

Result<void> PostgresDatabase::scoped(const char* begin_sql, bool writer_lock,
                                      const std::function<Result<void>()>& body) {
    std::lock_guard lock(mutex_);
    if (depth_ > 0) {
        // A write joining a scope opened without the writers' lock takes it now.
        if (writer_lock && !writer_locked_) {
            if (auto locked = run_plain(kTakeWriterLock); !locked) {
                return locked;
            }
            writer_locked_ = true;
        }
        return body();
    }
    reconnect_if_broken();
    if (auto begun = run_plain(begin_sql); !begun) {
        return begun;
    }
    if (writer_lock) {
        if (auto locked = run_plain(kTakeWriterLock); !locked) {
            (void)run_plain("ROLLBACK");
            return locked;
        }
    }
    writer_locked_ = writer_lock;
    return finish_transaction(depth_, body, [this](const char* sql) { return run_plain(sql); });
}

Result<void> PostgresDatabase::transaction(const std::function<Result<void>()>& body) {
    return scoped("BEGIN", true, body);
}

Result<void> PostgresDatabase::row_locked_transaction(const std::function<Result<void>()>& body) {
    return scoped("BEGIN", false, body);
}

Result<void> PostgresDatabase::read(const std::function<Result<void>()>& body) {
    return scoped("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", false, body);
}

}  // namespace octane::db
