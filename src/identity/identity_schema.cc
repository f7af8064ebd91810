#include "identity/identity_schema.h"

#include <algorithm>

#include "db/table_columns.h"

namespace octane::identity {
namespace {

// Which token a token was re-issued from (revocation follows it), in a state directory made before
// these columns existed.
Result<void> add_token_lineage(db::Database& db) {
    auto columns = db::table_columns(db, "identity_tokens");
    if (!columns) {
        return Unexpected(columns.error());
    }
    bool present = std::count(columns->begin(), columns->end(), "parent_audit_id") > 0;
    if (!present) {
        for (const char* added : {"ALTER TABLE identity_tokens ADD COLUMN parent_audit_id TEXT",
                                  "ALTER TABLE identity_tokens ADD COLUMN audit_chain_id TEXT"}) {
            if (auto done = db.exec(added); !done) {
                return Unexpected(done.error());
            }
        }
    }
    auto indexed = db.exec(
        "CREATE INDEX IF NOT EXISTS identity_tokens_parent ON identity_tokens (parent_audit_id)");
    if (!indexed) {
        return Unexpected(indexed.error());
    }
    return {};
}

// System-scoped tokens, in a state directory made before they existed.
Result<void> add_system_scope(db::Database& db) {
    auto columns = db::table_columns(db, "identity_tokens");
    if (!columns) {
        return Unexpected(columns.error());
    }
    if (std::count(columns->begin(), columns->end(), "system_scope") > 0) {
        return {};
    }
    auto added =
        db.exec("ALTER TABLE identity_tokens ADD COLUMN system_scope BIGINT NOT NULL DEFAULT 0");
    if (!added) {
        return Unexpected(added.error());
    }
    return {};
}

}  // namespace

Result<void> migrate_identity(db::Database& db) {
    static const char* const kStatements[] = {
        "CREATE TABLE IF NOT EXISTS identity_projects (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
        " domain_id TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', enabled BIGINT NOT NULL"
        " DEFAULT 1, UNIQUE (domain_id, name))",
        "CREATE TABLE IF NOT EXISTS identity_users (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
        " domain_id TEXT NOT NULL, password_hash TEXT NOT NULL, default_project_id TEXT,"
        " enabled BIGINT NOT NULL DEFAULT 1, UNIQUE (domain_id, name))",
        "CREATE TABLE IF NOT EXISTS identity_roles (id TEXT PRIMARY KEY, name TEXT NOT NULL"
        " UNIQUE)",
        "CREATE TABLE IF NOT EXISTS identity_role_assignments (user_id TEXT NOT NULL, project_id"
        " TEXT NOT NULL, role_id TEXT NOT NULL, PRIMARY KEY (user_id, project_id, role_id))",
        // Only a SHA-256 digest of a token is kept; expires_ms is unix milliseconds.
        "CREATE TABLE IF NOT EXISTS identity_tokens (digest TEXT PRIMARY KEY, user_id TEXT NOT"
        " NULL, project_id TEXT, audit_id TEXT NOT NULL, issued_ms BIGINT NOT NULL, expires_ms"
        " BIGINT NOT NULL, revoked BIGINT NOT NULL DEFAULT 0, parent_audit_id TEXT,"
        " audit_chain_id TEXT)",
        "CREATE INDEX IF NOT EXISTS identity_tokens_expiry ON identity_tokens (expires_ms)",
        // Keystone's system role assignments (scope "system": {"all": true}).
        "CREATE TABLE IF NOT EXISTS identity_system_role_assignments (user_id TEXT NOT NULL,"
        " role_id TEXT NOT NULL, PRIMARY KEY (user_id, role_id))",
    };
    return db.transaction([&]() -> Result<void> {
        for (const char* statement : kStatements) {
            if (auto done = db.exec(statement, {}); !done) {
                return Unexpected(done.error());
            }
        }
        if (auto done = add_token_lineage(db); !done) {
            return done;
        }
        return add_system_scope(db);
    });
}

}  // namespace octane::identity
