#include "db/postgres_database.h"

#include <algorithm>
#include <utility>

namespace octane::db {
namespace {

// The sessions this thread holds, innermost last: a transaction's body and its nested calls
// find their session here. Per database, since a thread may use two (tests, admin tools).
thread_local std::vector<std::pair<const void*, PgSession*>> bound_sessions;

PgSession* bound_to_this_thread(const void* database) {
    for (auto it = bound_sessions.rbegin(); it != bound_sessions.rend(); ++it) {
        if (it->first == database) {
            return it->second;
        }
    }
    return nullptr;
}

}  // namespace

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::open(const std::string& conninfo,
                                                                 size_t max_pool_size) {
    auto first = PgSession::connect(conninfo);
    if (!first) {
        return Unexpected(first.error());
    }
    std::unique_ptr<PostgresDatabase> database(
        new PostgresDatabase(conninfo, std::max<size_t>(1, max_pool_size)));
    database->idle_.push_back(first->get());
    database->sessions_.push_back(std::move(*first));
    return database;
}

PostgresDatabase::~PostgresDatabase() = default;

size_t PostgresDatabase::sessions() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

Result<PgSession*> PostgresDatabase::acquire() {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + kPoolTimeout;
    while (idle_.empty() && sessions_.size() + connecting_ >= max_pool_size_) {
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty()) {
            return make_error("no database session free within " +
                              std::to_string(kPoolTimeout.count()) +
                              " s (max_pool_size = " + std::to_string(max_pool_size_) + ")");
        }
    }
    if (!idle_.empty()) {
        PgSession* session = idle_.back();
        idle_.pop_back();
        return session;
    }
    // Connecting takes a round trip or more: not under the lock.
    ++connecting_;
    lock.unlock();
    auto connected = PgSession::connect(conninfo_);
    lock.lock();
    --connecting_;
    if (!connected) {
        returned_.notify_one();  // the slot is free again for a waiter
        return Unexpected(connected.error());
    }
    PgSession* session = connected->get();
    sessions_.push_back(std::move(*connected));
    return session;
}

void PostgresDatabase::release(PgSession* session) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(session);
    }
    returned_.notify_one();
}

template <typename T>
Result<T> PostgresDatabase::with_session(const std::function<Result<T>(PgSession&)>& use) {
    if (PgSession* mine = bound_to_this_thread(this)) {
        return use(*mine);
    }
    auto session = acquire();
    if (!session) {
        return Unexpected(session.error());
    }
    // Unbound and returned however use ends (finish_transaction rethrows the body's exceptions).
    struct Binding {
        PostgresDatabase* database;
        PgSession* session;
        ~Binding() {
            bound_sessions.pop_back();
            database->release(session);
        }
    };
    bound_sessions.emplace_back(this, *session);
    Binding binding{this, *session};
    return use(**session);
}

Result<Rows> PostgresDatabase::query(const std::string& sql, const std::vector<Value>& params) {
    return with_session<Rows>([&](PgSession& session) -> Result<Rows> {
        auto outcome = session.run(sql, params);
        if (!outcome) {
            return Unexpected(outcome.error());
        }
        return std::move(outcome->rows);
    });
}

Result<int64_t> PostgresDatabase::exec(const std::string& sql, const std::vector<Value>& params) {
    return with_session<int64_t>([&](PgSession& session) -> Result<int64_t> {
        auto outcome = session.run(sql, params);
        if (!outcome) {
            return Unexpected(outcome.error());
        }
        return outcome->changed;
    });
}

Result<void> PostgresDatabase::transaction(const std::function<Result<void>()>& body) {
    auto run = [&] {
        return with_session<void>(
            [&](PgSession& session) { return session.scoped("BEGIN", true, body); });
    };
    if (bound_to_this_thread(this) != nullptr) {
        return run();  // joins this thread's open scope (and never waits on writers_ inside it)
    }
    // This process's writers queue here rather than each holding a session and a backend that
    // waits on the advisory lock: fewer runnable processes while the lock holder works through
    // its round trips (on 2 busy cores, pooled writers without this ran at a third of the rate).
    std::lock_guard writer(writers_);
    return run();
}

Result<void> PostgresDatabase::row_locked_transaction(const std::function<Result<void>()>& body) {
    return with_session<void>(
        [&](PgSession& session) { return session.scoped("BEGIN", false, body); });
}

Result<void> PostgresDatabase::read(const std::function<Result<void>()>& body) {
    return with_session<void>([&](PgSession& session) {
        return session.scoped("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", false, body);
    });
}

}  // namespace octane::db
