#include "db/pg_session.h"

#include <optional>
#include <vector>

#include <libpq-fe.h>

#include "db/pg_text.h"
#include "db/transaction_scope.h"

namespace octane::db {
namespace {

// The writers' advisory lock ("octane" in ASCII) taken right after BEGIN, in the same round trip:
// any constant works as long as every Octane process uses the same one and nothing else takes it.
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

// Parameters in libpq's text form; pointers into texts (null for SQL NULL).
struct TextParams {
    std::vector<std::optional<std::string>> texts;
    std::vector<const char*> pointers;
};

TextParams text_params(const std::vector<Value>& params) {
    TextParams p;
    p.texts.reserve(params.size());
    p.pointers.reserve(params.size());
    for (const auto& value : params) {
        p.texts.push_back(to_pg_text(value));
        p.pointers.push_back(p.texts.back() ? p.texts.back()->c_str() : nullptr);
    }
    return p;
}

PgSession::Outcome outcome_of(const PGresult* result) {
    PgSession::Outcome outcome;
    const char* changed = PQcmdTuples(const_cast<PGresult*>(result));
    outcome.changed = changed && *changed ? std::stoll(changed) : 0;
    int columns = PQnfields(result);
    int count = PQntuples(result);
    outcome.rows.reserve(static_cast<size_t>(count));
    for (int r = 0; r < count; ++r) {
        Row row;
        row.values.reserve(static_cast<size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(result, r, c)) {
                row.values.emplace_back(nullptr);
            } else {
                row.values.push_back(
                    from_pg_text(PQftype(result, c),
                                 std::string_view(PQgetvalue(result, r, c),
                                                  static_cast<size_t>(PQgetlength(result, r, c)))));
            }
        }
        outcome.rows.push_back(std::move(row));
    }
    return outcome;
}

}  // namespace

Result<std::unique_ptr<PgSession>> PgSession::connect(const std::string& conninfo) {
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
    return std::unique_ptr<PgSession>(new PgSession(conn));
}

PgSession::~PgSession() {
    PQfinish(conn_);
}

void PgSession::reconnect_if_broken() {
    if (depth_ == 0 && (broken_ || PQstatus(conn_) == CONNECTION_BAD)) {
        PQreset(conn_);
        broken_ = false;
        PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
        statements_.clear();  // prepared statements belong to the session that is gone
    }
}

Result<std::string> PgSession::new_statement_name() {
    // Bounded: statements built from varying text (IN lists) must not grow it without end.
    constexpr size_t kMaxStatements = 512;
    if (statements_.size() >= kMaxStatements) {
        if (auto done = run_plain("DEALLOCATE ALL"); !done) {
            return Unexpected(done.error());
        }
        statements_.clear();
    }
    return "octane_" + std::to_string(next_statement_++);
}

Result<const std::string*> PgSession::prepared(const std::string& sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) {
        return &it->second;
    }
    auto fresh = new_statement_name();
    if (!fresh) {
        return Unexpected(fresh.error());
    }
    std::string name = std::move(*fresh);
    ResultPtr result(
        PQprepare(conn_, name.c_str(), to_numbered_placeholders(sql).c_str(), 0, nullptr));
    if (!succeeded(result.get())) {
        return failure(conn_, result.get(), sql);
    }
    return &statements_.emplace(sql, std::move(name)).first->second;
}

Result<PgSession::Outcome> PgSession::run_once(const std::string& name, const std::string& sql,
                                               const std::vector<Value>& params) {
    auto p = text_params(params);
    ResultPtr result(PQexecPrepared(conn_, name.c_str(), static_cast<int>(p.pointers.size()),
                                    p.pointers.data(), nullptr, nullptr, 0));
    if (!succeeded(result.get())) {
        // Prepared again next time: a plan can go stale (a column added by a newer process).
        statements_.erase(sql);
        return failure(conn_, result.get(), sql);
    }
    return outcome_of(result.get());
}

// SAVEPOINT, the statement (prepared first if new) and RELEASE in one pipeline: one round trip
// instead of three or four. A failed PREPARE or statement aborts the rest of the pipeline;
// ROLLBACK TO then restores the transaction (a bad PREPARE outside the savepoint would doom it).
Result<PgSession::Outcome> PgSession::run_in_savepoint(const std::string& sql,
                                                       const std::vector<Value>& params) {
    std::string name;
    auto known = statements_.find(sql);
    bool prepare = known == statements_.end();
    if (prepare) {
        auto fresh = new_statement_name();
        if (!fresh) {
            return Unexpected(fresh.error());
        }
        name = std::move(*fresh);
    } else {
        name = known->second;
    }
    auto p = text_params(params);
    if (PQenterPipelineMode(conn_) != 1) {
        return failure(conn_, nullptr, sql);
    }
    bool sent =
        PQsendQueryParams(conn_, "SAVEPOINT octane_statement", 0, nullptr, nullptr, nullptr,
                          nullptr, 0) == 1 &&
        (!prepare || PQsendPrepare(conn_, name.c_str(), to_numbered_placeholders(sql).c_str(), 0,
                                   nullptr) == 1) &&
        PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(p.pointers.size()),
                            p.pointers.data(), nullptr, nullptr, 0) == 1 &&
        PQsendQueryParams(conn_, "RELEASE SAVEPOINT octane_statement", 0, nullptr, nullptr, nullptr,
                          nullptr, 0) == 1 &&
        PQpipelineSync(conn_) == 1;
    // Each queued query answers with one result and then a null; the sync point answers last.
    std::vector<ResultPtr> results(prepare ? 4 : 3);
    bool complete = sent;
    for (auto& result : results) {
        if (!complete) {
            break;
        }
        result.reset(PQgetResult(conn_));
        ResultPtr end(result ? PQgetResult(conn_) : nullptr);
        complete = result && !end;
    }
    if (complete) {
        ResultPtr sync(PQgetResult(conn_));
        complete = sync && PQresultStatus(sync.get()) == PGRES_PIPELINE_SYNC;
    }
    if (!complete || PQexitPipelineMode(conn_) != 1) {
        // The conversation is out of step: only a new connection is trustworthy. The open
        // transaction is lost either way; its ROLLBACK fails and the session reconnects.
        broken_ = true;
        return failure(conn_, nullptr, sql);
    }
    if (!succeeded(results.front().get())) {
        return failure(conn_, results.front().get(), sql);
    }
    // The first failure of PREPARE or the statement (what follows it reports aborted).
    const PGresult* failed = nullptr;
    for (size_t i = 1; i + 1 < results.size() && failed == nullptr; ++i) {
        failed = succeeded(results[i].get()) ? nullptr : results[i].get();
    }
    if (failed != nullptr) {
        // Prepared again next time: a plan can go stale (a column added by a newer process).
        statements_.erase(sql);
        auto error = failure(conn_, failed, sql);
        (void)run_plain(
            "ROLLBACK TO SAVEPOINT octane_statement; RELEASE SAVEPOINT octane_statement");
        return error;
    }
    if (prepare) {
        statements_.emplace(sql, name);
    }
    if (!succeeded(results.back().get())) {
        return failure(conn_, results.back().get(), sql);
    }
    return outcome_of(results[results.size() - 2].get());
}

Result<PgSession::Outcome> PgSession::run(const std::string& sql,
                                          const std::vector<Value>& params) {
    if (depth_ > 0) {
        return run_in_savepoint(sql, params);
    }
    reconnect_if_broken();
    auto name = prepared(sql);
    if (!name) {
        return Unexpected(name.error());
    }
    return run_once(**name, sql, params);
}

Result<void> PgSession::run_plain(const char* sql) {
    ResultPtr result(PQexec(conn_, sql));
    if (!succeeded(result.get())) {
        return failure(conn_, result.get(), sql);
    }
    return {};
}

Result<void> PgSession::scoped(const char* begin_sql, bool writer_lock,
                               const std::function<Result<void>()>& body) {
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
    // BEGIN and the lock in one simple query: one round trip.
    std::string begin = writer_lock ? std::string(begin_sql) + "; " + kTakeWriterLock : begin_sql;
    if (auto begun = run_plain(begin.c_str()); !begun) {
        (void)run_plain("ROLLBACK");
        return begun;
    }
    writer_locked_ = writer_lock;
    return finish_transaction(depth_, body, [this](const char* sql) { return run_plain(sql); });
}

}  // namespace octane::db
