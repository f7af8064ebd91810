#include "identity/identity_store.h"

#include <algorithm>
#include <utility>

#include "common/strings.h"
#include "identity/password_hash.h"

namespace octane::identity {
namespace {

Project project_of(const db::Row& row) {
    return {row.text(0), row.text(1), row.text(2), row.text(3), row.integer(4) != 0};
}

User user_of(const db::Row& row) {
    return {row.text(0), row.text(1), row.text(2), row.optional_text(3), row.integer(4) != 0};
}

constexpr const char* kProjectColumns = "id, name, domain_id, description, enabled";
constexpr const char* kUserColumns = "id, name, domain_id, default_project_id, enabled";

Unexpected<Error> unauthorized() {
    return make_error("The request you have made requires authentication.", 401);
}

// The row whose id is id_or_name, else the one with that name (ids win, as Keystone's lookups).
template <typename Convert>
auto find_by_id_or_name(db::Database& db, const std::string& table, const std::string& columns,
                        const std::string& id_or_name, Convert convert)
    -> Result<std::optional<decltype(convert(std::declval<const db::Row&>()))>> {
    using T = decltype(convert(std::declval<const db::Row&>()));
    auto rows = db.query("SELECT " + columns + " FROM " + table +
                             " WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
                         {id_or_name, id_or_name, id_or_name});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<T>{};
    }
    return std::optional<T>{convert(rows->front())};
}

// Every row, or those with the given name, ordered by name.
template <typename Convert>
auto list_by_name(db::Database& db, const std::string& table, const char* columns,
                  const std::optional<std::string>& name, Convert convert)
    -> Result<std::vector<decltype(convert(std::declval<const db::Row&>()))>> {
    using T = decltype(convert(std::declval<const db::Row&>()));
    std::string select = std::string("SELECT ") + columns + " FROM " + table;
    auto rows = name ? db.query(select + " WHERE name = ? ORDER BY name", {*name})
                     : db.query(select + " ORDER BY name");
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<T> out;
    for (const auto& row : *rows) {
        out.push_back(convert(row));
    }
    return out;
}

Result<std::vector<Role>> roles_from(Result<std::vector<db::Row>> rows) {
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<Role> out;
    for (const auto& row : *rows) {
        out.push_back({row.text(0), row.text(1)});
    }
    return out;
}

}  // namespace

std::vector<std::string> implied_role_names(const std::vector<std::string>& assigned) {
    static const std::pair<const char*, const char*> kImplies[] = {{"admin", "member"},
                                                                   {"member", "reader"}};
    std::vector<std::string> out = assigned;
    for (const auto& [prior, implied] : kImplies) {  // in order, so admin reaches reader
        bool has_prior = std::find(out.begin(), out.end(), prior) != out.end();
        if (has_prior && std::find(out.begin(), out.end(), implied) == out.end()) {
            out.push_back(implied);
        }
    }
    return out;
}

std::optional<std::string> domain_id_of(const std::optional<std::string>& id,
                                        const std::optional<std::string>& name) {
    if (id) {
        return *id == kDefaultDomainId ? id : std::nullopt;
    }
    if (name) {
        if (*name == kDefaultDomainName) {
            return std::string(kDefaultDomainId);
        }
        return std::nullopt;
    }
    return std::string(kDefaultDomainId);
}

Result<Project> IdentityStore::create_project(const std::string& name,
                                              const std::string& description) {
    if (name.empty() || name.size() > 64) {
        return make_error("Project name must be 1 to 64 characters.", 400);
    }
    Project p{random_hex(16), name, kDefaultDomainId, description, true};
    auto done = db_.exec(
        "INSERT INTO identity_projects (id, name, domain_id, description, enabled) VALUES"
        " (?, ?, ?, ?, 1)",
        {p.id, p.name, p.domain_id, p.description});
    if (!done) {
        if (find_project(name).has_value() && find_project(name)->has_value()) {
            return make_error(
                "Conflict occurred attempting to store project - it is not permitted"
                " to have two projects with the same name in the same domain : " +
                    name + ".",
                409);
        }
        return Unexpected(done.error());
    }
    return p;
}

Result<User> IdentityStore::create_user(const std::string& name, const std::string& password,
                                        const std::optional<std::string>& default_project_id) {
    if (name.empty() || name.size() > 255) {
        return make_error("User name must be 1 to 255 characters.", 400);
    }
    if (password.empty()) {
        return make_error("A password is required.", 400);
    }
    User u{random_hex(16), name, kDefaultDomainId, default_project_id, true};
    db::Value project = nullptr;
    if (default_project_id) {
        project = *default_project_id;
    }
    auto done = db_.exec(
        "INSERT INTO identity_users (id, name, domain_id, password_hash, default_project_id,"
        " enabled) VALUES (?, ?, ?, ?, ?, 1)",
        {u.id, u.name, u.domain_id, hash_password(password), project});
    if (!done) {
        auto existing = find_user(name);
        if (existing && existing->has_value()) {
            return make_error(
                "Conflict occurred attempting to store user - Duplicate entry found"
                " with name " +
                    name + " at domain ID default.",
                409);
        }
        return Unexpected(done.error());
    }
    return u;
}

Result<Role> IdentityStore::ensure_role(const std::string& name) {
    if (name.empty() || name.size() > 255) {
        return make_error("Role name must be 1 to 255 characters.", 400);
    }
    auto inserted = db_.exec(
        "INSERT INTO identity_roles (id, name) SELECT ?, ? WHERE NOT EXISTS"
        " (SELECT 1 FROM identity_roles WHERE name = ?)",
        {random_hex(16), name, name});
    if (!inserted) {
        return Unexpected(inserted.error());
    }
    auto rows = db_.query("SELECT id, name FROM identity_roles WHERE name = ?", {name});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return make_error("Could not find role: " + name + ".", 404);
    }
    return Role{rows->front().text(0), rows->front().text(1)};
}

Result<void> IdentityStore::assign_role(const std::string& user, const std::string& project,
                                        const std::string& role) {
    return grant(user, project, role);
}

Result<void> IdentityStore::assign_system_role(const std::string& user, const std::string& role) {
    return grant(user, std::nullopt, role);
}

Result<void> IdentityStore::grant(const std::string& user,
                                  const std::optional<std::string>& project,
                                  const std::string& role) {
    return db_.transaction([&]() -> Result<void> {
        auto u = find_user(user);
        if (!u) {
            return Unexpected(u.error());
        }
        if (!u->has_value()) {
            return make_error("Could not find user: " + user + ".", 404);
        }
        std::optional<Project> target;
        if (project) {
            auto p = find_project(*project);
            if (!p) {
                return Unexpected(p.error());
            }
            if (!p->has_value()) {
                return make_error("Could not find project: " + *project + ".", 404);
            }
            target = **p;
        }
        auto r = ensure_role(role);
        if (!r) {
            return Unexpected(r.error());
        }
        auto done = target ? db_.exec(
                                 "INSERT INTO identity_role_assignments (user_id, project_id,"
                                 " role_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                 {(*u)->id, target->id, r->id})
                           : db_.exec(
                                 "INSERT INTO identity_system_role_assignments (user_id,"
                                 " role_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                 {(*u)->id, r->id});
        if (!done) {
            return Unexpected(done.error());
        }
        return {};
    });
}

namespace {

// Deletes the row `id` of `table` and the role assignments naming it in `column`.
Result<void> delete_with_assignments(db::Database& db, const char* table, const char* column,
                                     const std::string& id, const std::string& missing) {
    return db.transaction([&]() -> Result<void> {
        auto rows = db.query(std::string("SELECT id FROM ") + table + " WHERE id = ?", {id});
        if (!rows) {
            return Unexpected(rows.error());
        }
        if (rows->empty()) {
            return make_error(missing, 404);
        }
        if (auto done = db.exec(
                std::string("DELETE FROM identity_role_assignments WHERE ") + column + " = ?",
                {id});
            !done) {
            return Unexpected(done.error());
        }
        if (auto done = db.exec(std::string("DELETE FROM ") + table + " WHERE id = ?", {id});
            !done) {
            return Unexpected(done.error());
        }
        return {};
    });
}

}  // namespace

Result<void> IdentityStore::delete_project(const std::string& id) {
    return delete_with_assignments(db_, "identity_projects", "project_id", id,
                                   "Could not find project: " + id + ".");
}

Result<void> IdentityStore::delete_user(const std::string& id) {
    return delete_with_assignments(db_, "identity_users", "user_id", id,
                                   "Could not find user: " + id + ".");
}

Result<void> IdentityStore::unassign_system_role(const std::string& user_id,
                                                 const std::string& role_id) {
    auto done =
        db_.exec("DELETE FROM identity_system_role_assignments WHERE user_id = ? AND role_id = ?",
                 {user_id, role_id});
    if (!done) {
        return Unexpected(done.error());
    }
    if (*done == 0) {
        return make_error("Could not find role assignment with role: " + role_id +
                              ", user or group: " + user_id + ", project, domain, or system: all.",
                          404);
    }
    return {};
}

Result<std::vector<Role>> IdentityStore::system_roles_of(const std::string& user_id) {
    return roles_from(db_.query(
        "SELECT r.id, r.name FROM identity_system_role_assignments a JOIN identity_roles r ON"
        " r.id = a.role_id WHERE a.user_id = ? ORDER BY r.name",
        {user_id}));
}

Result<std::vector<RoleAssignment>> IdentityStore::list_role_assignments() {
    auto rows = db_.query(
        "SELECT user_id, role_id, project_id FROM identity_role_assignments UNION ALL SELECT"
        " user_id, role_id, '' FROM identity_system_role_assignments ORDER BY 1, 3, 2");
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<RoleAssignment> out;
    for (const auto& row : *rows) {
        out.push_back({row.text(0), row.text(1), row.text(2)});
    }
    return out;
}

Result<std::vector<Role>> IdentityStore::token_roles(const std::string& user_id,
                                                     const std::optional<Project>& project,
                                                     bool system) {
    auto assigned = system    ? system_roles_of(user_id)
                    : project ? roles_of(user_id, project->id)
                              : Result<std::vector<Role>>(std::vector<Role>{});
    if (!assigned || assigned->empty()) {
        return assigned;
    }
    std::vector<std::string> names;
    for (const auto& role : *assigned) {
        names.push_back(role.name);
    }
    std::vector<Role> out = std::move(*assigned);
    auto all = implied_role_names(names);
    for (size_t i = names.size(); i < all.size(); ++i) {
        auto role = ensure_role(all[i]);
        if (!role) {
            return Unexpected(role.error());
        }
        out.push_back(*role);
    }
    return out;
}

Result<std::optional<Project>> IdentityStore::find_project(const std::string& id_or_name) {
    return find_by_id_or_name(db_, "identity_projects", kProjectColumns, id_or_name, project_of);
}

Result<std::vector<Project>> IdentityStore::list_projects(const std::optional<std::string>& name) {
    return list_by_name(db_, "identity_projects", kProjectColumns, name, project_of);
}

Result<std::optional<User>> IdentityStore::find_user(const std::string& id_or_name) {
    return find_by_id_or_name(db_, "identity_users", kUserColumns, id_or_name, user_of);
}

Result<std::vector<User>> IdentityStore::list_users(const std::optional<std::string>& name) {
    return list_by_name(db_, "identity_users", kUserColumns, name, user_of);
}

Result<std::vector<Role>> IdentityStore::list_roles() {
    return roles_from(db_.query("SELECT id, name FROM identity_roles ORDER BY name"));
}

Result<std::vector<Role>> IdentityStore::roles_of(const std::string& user_id,
                                                  const std::string& project_id) {
    return roles_from(
        db_.query("SELECT r.id, r.name FROM identity_role_assignments a JOIN identity_roles r ON"
                  " r.id = a.role_id WHERE a.user_id = ? AND a.project_id = ? ORDER BY r.name",
                  {user_id, project_id}));
}

Result<std::vector<Project>> IdentityStore::projects_of(const std::string& user_id) {
    auto rows = db_.query(
        "SELECT DISTINCT p.id, p.name, p.domain_id, p.description, p.enabled FROM"
        " identity_role_assignments a JOIN identity_projects p ON p.id = a.project_id WHERE"
        " a.user_id = ? ORDER BY p.name",
        {user_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<Project> out;
    for (const auto& row : *rows) {
        out.push_back(project_of(row));
    }
    return out;
}

Result<User> IdentityStore::authenticate(const std::string& user_id_or_name,
                                         const std::string& password) {
    auto found =
        find_by_id_or_name(db_, "identity_users", std::string(kUserColumns) + ", password_hash",
                           user_id_or_name, [](const db::Row& r) {
                               return std::pair{user_of(r), r.text(5)};
                           });
    if (!found) {
        return Unexpected(found.error());
    }
    if (!*found) {
        // Same work as a real check, so timing does not reveal which users exist.
        (void)verify_password(password, absent_user_hash());
        return unauthorized();
    }
    const auto& [user, password_hash] = **found;
    if (!verify_password(password, password_hash) || !user.enabled) {
        return unauthorized();
    }
    return user;
}

Result<IssuedToken> IdentityStore::issue_token(const User& user,
                                               const std::optional<Project>& project,
                                               const TokenInfo* parent, bool system) {
    IssuedToken issued;
    issued.info.user = user;
    issued.info.project = system ? std::nullopt : project;
    issued.info.system = system;
    if (system || project) {
        auto roles = token_roles(user.id, issued.info.project, system);
        if (!roles) {
            return Unexpected(roles.error());
        }
        if (system && roles->empty()) {
            return make_error("User " + user.id + " has no access to the system", 401);
        }
        if (!system && (roles->empty() || !project->enabled)) {
            return make_error("User " + user.id + " has no access to project " + project->id, 401);
        }
        issued.info.roles = std::move(*roles);
    }
    issued.token = new_token();
    issued.info.audit_id = random_hex(11);
    issued.info.audit_chain_id = parent ? parent->audit_chain_id : issued.info.audit_id;
    issued.info.issued_ms = to_unix_millis(clock_.now());
    issued.info.expires_ms = parent ? parent->expires_ms : issued.info.issued_ms + token_ttl_ms_;
    db::Value project_id = nullptr;
    if (issued.info.project) {
        project_id = issued.info.project->id;
    }
    db::Value parent_audit_id = nullptr;
    if (parent) {
        parent_audit_id = parent->audit_id;
    }
    // One statement, so a revocation of the parent either sees this row (and revokes it too) or
    // ran before it (and nothing is inserted).
    auto inserted = db_.exec(
        "INSERT INTO identity_tokens (digest, user_id, project_id, audit_id, issued_ms,"
        " expires_ms, parent_audit_id, audit_chain_id, system_scope) SELECT ?, ?, ?, ?, ?, ?, ?,"
        " ?, ? WHERE NOT EXISTS (SELECT 1 FROM identity_tokens WHERE audit_id = ? AND"
        " revoked = 1)",
        {token_digest(issued.token), user.id, project_id, issued.info.audit_id,
         issued.info.issued_ms, issued.info.expires_ms, parent_audit_id, issued.info.audit_chain_id,
         int64_t{system ? 1 : 0}, parent_audit_id});
    if (!inserted) {
        return Unexpected(inserted.error());
    }
    if (*inserted == 0) {
        return unauthorized();
    }
    // Expired tokens are useless; drop them now and then so the table stays small.
    (void)db_.exec("DELETE FROM identity_tokens WHERE expires_ms < ?",
                   {issued.info.issued_ms - 86400000});
    return issued;
}

Result<TokenInfo> IdentityStore::validate_token(const std::string& token) {
    auto not_found = make_error("Could not find token: " + token + ".", 404);
    if (token.empty() || token.size() > 512) {
        return not_found;
    }
    auto rows = db_.query(
        "SELECT user_id, project_id, audit_id, issued_ms, expires_ms, revoked,"
        " COALESCE(audit_chain_id, audit_id), system_scope FROM identity_tokens WHERE digest = ?",
        {token_digest(token)});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return not_found;
    }
    const auto& row = rows->front();
    TokenInfo info;
    info.audit_id = row.text(2);
    info.issued_ms = row.integer(3);
    info.expires_ms = row.integer(4);
    info.audit_chain_id = row.text(6);
    if (row.integer(5) != 0 || info.expires_ms <= to_unix_millis(clock_.now())) {
        return not_found;
    }
    auto user = find_user(row.text(0));
    if (!user) {
        return Unexpected(user.error());
    }
    if (!user->has_value() || !(*user)->enabled) {
        return not_found;
    }
    info.user = **user;
    info.system = row.integer(7) != 0;
    if (auto project_id = row.optional_text(1)) {
        auto project = find_project(*project_id);
        if (!project) {
            return Unexpected(project.error());
        }
        if (!project->has_value()) {
            return not_found;
        }
        info.project = **project;
    }
    if (info.system || info.project) {
        auto roles = token_roles(info.user.id, info.project, info.system);
        if (!roles) {
            return Unexpected(roles.error());
        }
        if (roles->empty()) {
            return not_found;  // role assignments removed since issue
        }
        info.roles = std::move(*roles);
    }
    return info;
}

Result<void> IdentityStore::revoke_token(const std::string& token) {
    auto valid = validate_token(token);
    if (!valid) {
        return Unexpected(valid.error());
    }
    // The descendants by parent_audit_id; UNION drops repeats, so the recursion ends.
    auto done = db_.exec(
        "WITH RECURSIVE doomed(audit_id) AS (SELECT audit_id FROM identity_tokens WHERE digest = ?"
        " UNION SELECT t.audit_id FROM identity_tokens t JOIN doomed d ON t.parent_audit_id ="
        " d.audit_id) UPDATE identity_tokens SET revoked = 1 WHERE audit_id IN (SELECT audit_id"
        " FROM doomed)",
        {token_digest(token)});
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

}  // namespace octane::identity
