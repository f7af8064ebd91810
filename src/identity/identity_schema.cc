#include "identity/identity_schema.h"

namespace octane::identity {

Result<void> migrate_identity(db::Database& db) {
    static const char* const kStatements[] = {
        "CREATE TABLE IF NOT EXISTS identity_projects (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
        " domain_id TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', enabled INTEGER NOT NULL"
        " DEFAULT 1, UNIQUE (domain_id, name))",
        "CREATE TABLE IF NOT EXISTS identity_users (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
        " domain_id TEXT NOT NULL, password_hash TEXT NOT NULL, default_project_id TEXT,"
        " enabled INTEGER NOT NULL DEFAULT 1, UNIQUE (domain_id, name))",
        "CREATE TABLE IF NOT EXISTS identity_roles (id TEXT PRIMARY KEY, name TEXT NOT NULL"
        " UNIQUE)",
        "CREATE TABLE IF NOT EXISTS identity_role_assignments (user_id TEXT NOT NULL, project_id"
        " TEXT NOT NULL, role_id TEXT NOT NULL, PRIMARY KEY (user_id, project_id, role_id))",
        // Only a SHA-256 digest of a token is kept; expires_ms is unix milliseconds.
        "CREATE TABLE IF NOT EXISTS identity_tokens (digest TEXT PRIMARY KEY, user_id TEXT NOT"
        " NULL, project_id TEXT, audit_id TEXT NOT NULL, issued_ms INTEGER NOT NULL, expires_ms"
        " INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS identity_tokens_expiry ON identity_tokens (expires_ms)",
    };
    return db.transaction([&]() -> Result<void> {
        for (const char* statement : kStatements) {
            if (auto done = db.exec(statement, {}); !done) {
                return Unexpected(done.error());
            }
        }
        return {};
    });
}

}  // namespace octane::identity
