#include "db/sqlite_database.h"

#include <chrono>
#include <thread>

#include "db/transaction_scope.h"

namespace octane::db {

std::string Row::text(size_t i) const {
    if (const auto* s = std::get_if<std::string>(&values[i])) {
        return *s;
    }
    if (const auto* n = std::get_if<int64_t>(&values[i])) {
        return std::to_string(*n);
    }
    return {};
}

std::optional<std::string> Row::optional_text(size_t i) const {
    if (is_null(i)) {
        return std::nullopt;
    }
    return text(i);
}

int64_t Row::integer(size_t i) const {
    if (const auto* n = std::get_if<int64_t>(&values[i])) {
        return *n;
    }
    if (const auto* d = std::get_if<double>(&values[i])) {
        return static_cast<int64_t>(*d);
    }
    if (const auto* s = std::get_if<std::string>(&values[i])) {
        return std::stoll(*s);
    }
    return 0;
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path) {
    sqlite3* handle = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path.c_str(), &handle, flags, nullptr) != SQLITE_OK) {
        std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
        sqlite3_close(handle);
        return make_error("cannot open database " + path + ": " + message);
    }
    std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(handle));
    sqlite3_busy_timeout(handle, 30000);
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        auto rows = db->query(pragma, {});
        if (!rows) {
            return Unexpected(rows.error());
        }
    }
    return db;
}

SqliteDatabase::~SqliteDatabase() {
    for (const auto& [sql, stmt] : statements_) {
        sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(handle_);
}

void SqliteDatabase::done(sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

Result<sqlite3_stmt*> SqliteDatabase::prepare(const std::string& sql,
                                              const std::vector<Value>& params) {
    // Bounded: statements built from varying text (IN lists) must not grow it without end.
    constexpr size_t kMaxStatements = 512;
    sqlite3_stmt* stmt = nullptr;
    if (auto it = statements_.find(sql); it != statements_.end()) {
        stmt = it->second;
    } else {
        if (sqlite3_prepare_v3(handle_, sql.c_str(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
            return make_error(std::string("SQL prepare failed: ") + sqlite3_errmsg(handle_) +
                              " in " + sql);
        }
        if (stmt == nullptr) {
            return make_error("SQL prepare failed: no statement in " + sql);
        }
        if (statements_.size() >= kMaxStatements) {
            for (const auto& [text, old] : statements_) {
                sqlite3_finalize(old);
            }
            statements_.clear();
        }
        statements_.emplace(sql, stmt);
    }
    for (size_t i = 0; i < params.size(); ++i) {
        int index = static_cast<int>(i + 1);
        const Value& v = params[i];
        if (std::holds_alternative<std::nullptr_t>(v)) {
            sqlite3_bind_null(stmt, index);
        } else if (const auto* n = std::get_if<int64_t>(&v)) {
            sqlite3_bind_int64(stmt, index, *n);
        } else if (const auto* d = std::get_if<double>(&v)) {
            sqlite3_bind_double(stmt, index, *d);
        } else {
            const auto& s = std::get<std::string>(v);
            sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        }
    }
    return stmt;
}

Result<Rows> SqliteDatabase::query(const std::string& sql, const std::vector<Value>& params) {
    std::lock_guard lock(mutex_);
    auto prepared = prepare(sql, params);
    if (!prepared) {
        return Unexpected(prepared.error());
    }
    sqlite3_stmt* stmt = *prepared;
    Rows rows;
    int columns = sqlite3_column_count(stmt);
    while (true) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) {
            break;
        }
        if (rc != SQLITE_ROW) {
            std::string message = sqlite3_errmsg(handle_);
            done(stmt);
            return make_error("SQL failed: " + message + " in " + sql);
        }
        Row row;
        row.values.reserve(static_cast<size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            switch (sqlite3_column_type(stmt, c)) {
                case SQLITE_NULL:
                    row.values.emplace_back(nullptr);
                    break;
                case SQLITE_INTEGER:
                    row.values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
                    break;
                case SQLITE_FLOAT:
                    row.values.emplace_back(sqlite3_column_double(stmt, c));
                    break;
                default: {
                    const auto* text = sqlite3_column_text(stmt, c);
                    int size = sqlite3_column_bytes(stmt, c);
                    row.values.emplace_back(std::string(reinterpret_cast<const char*>(text),
                                                        static_cast<size_t>(size)));
                }
            }
        }
        rows.push_back(std::move(row));
    }
    done(stmt);
    return rows;
}

Result<int64_t> SqliteDatabase::exec(const std::string& sql, const std::vector<Value>& params) {
    std::lock_guard lock(mutex_);
    auto rows = query(sql, params);
    if (!rows) {
        return Unexpected(rows.error());
    }
    return static_cast<int64_t>(sqlite3_changes(handle_));
}

Result<void> SqliteDatabase::run_plain(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(handle_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        return make_error(std::string("SQL failed: ") + text + " in " + sql);
    }
    return {};
}

Result<void> SqliteDatabase::scoped(const char* begin_sql,
                                    const std::function<Result<void>()>& body) {
    std::lock_guard lock(mutex_);
    if (depth_ > 0) {
        return body();
    }
    // busy_timeout does not cover every lock upgrade path; retry BEGIN a bounded number of times.
    Result<void> begun = run_plain(begin_sql);
    for (int attempt = 0; !begun && attempt < 200; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        begun = run_plain(begin_sql);
    }
    if (!begun) {
        return begun;
    }
    return finish_transaction(depth_, body, [this](const char* sql) { return run_plain(sql); });
}

Result<void> SqliteDatabase::transaction(const std::function<Result<void>()>& body) {
    return scoped("BEGIN IMMEDIATE", body);
}

Result<void> SqliteDatabase::read(const std::function<Result<void>()>& body) {
    return scoped("BEGIN DEFERRED", body);
}

}  // namespace octane::db
