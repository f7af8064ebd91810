#pragma once

// Projects, users, roles and tokens of the built-in Keystone, over the Database seam. Failures
// carry the HTTP status Keystone would answer in Error::code (400, 401, 404, 409).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "db/database.h"

namespace octane::identity {

inline constexpr const char* kDefaultDomainId = "default";
inline constexpr const char* kDefaultDomainName = "Default";

struct Project {
    std::string id, name, domain_id, description;
    bool enabled = true;
};

struct User {
    std::string id, name, domain_id;
    std::optional<std::string> default_project_id;
    bool enabled = true;
};

struct Role {
    std::string id, name;
};

struct TokenInfo {
    User user;
    std::optional<Project> project;
    bool system = false;  // system-scoped ("system": {"all": true}); then no project
    std::vector<Role> roles;
    std::string audit_id;
    // The audit id of the token this one was first derived from (its own for a token issued from
    // a password): Keystone's second audit id, naming the whole chain of re-issues.
    std::string audit_chain_id;
    int64_t issued_ms = 0;
    int64_t expires_ms = 0;

    bool has_role(const std::string& name) const {
        for (const auto& role : roles) {
            if (role.name == name) {
                return true;
            }
        }
        return false;
    }
};

// A role assignment: on a project, or on the system when project_id is empty.
struct RoleAssignment {
    std::string user_id, role_id, project_id;
};

// Keystone's default implied roles: admin implies member, member implies reader. Tokens carry the
// assigned roles and those they imply.
std::vector<std::string> implied_role_names(const std::vector<std::string>& assigned);

struct IssuedToken {
    std::string token;  // the secret, shown once in X-Subject-Token
    TokenInfo info;
};

// "Default"/"default" name the one domain; anything else is unknown.
std::optional<std::string> domain_id_of(const std::optional<std::string>& id,
                                        const std::optional<std::string>& name);

class IdentityStore {
  public:
    IdentityStore(db::Database& db, const Clock& clock, int64_t token_ttl_seconds)
        : db_(db), clock_(clock), token_ttl_ms_(token_ttl_seconds * 1000) {}

    Result<Project> create_project(const std::string& name, const std::string& description = "");
    Result<User> create_user(const std::string& name, const std::string& password,
                             const std::optional<std::string>& default_project_id);
    Result<Role> ensure_role(const std::string& name);
    // Role by name, project and user by id or name (default domain).
    Result<void> assign_role(const std::string& user, const std::string& project,
                             const std::string& role);

    // By id; 404 "Could not find ..." when missing. The role assignments go with the user or
    // project, and so do its tokens: validation finds neither any more.
    Result<void> delete_project(const std::string& id);
    Result<void> delete_user(const std::string& id);

    // Role by name, user by id or name; Keystone's PUT /v3/system/users/{user}/roles/{role}.
    Result<void> assign_system_role(const std::string& user, const std::string& role);
    // 404 when the user does not have the role on the system.
    Result<void> unassign_system_role(const std::string& user_id, const std::string& role_id);
    // Assigned roles only (not the implied ones).
    Result<std::vector<Role>> system_roles_of(const std::string& user_id);
    Result<std::vector<RoleAssignment>> list_role_assignments();

    Result<std::optional<Project>> find_project(const std::string& id_or_name);
    Result<std::vector<Project>> list_projects(const std::optional<std::string>& name);
    Result<std::optional<User>> find_user(const std::string& id_or_name);
    Result<std::vector<User>> list_users(const std::optional<std::string>& name);
    Result<std::vector<Role>> list_roles();
    Result<std::vector<Role>> roles_of(const std::string& user_id, const std::string& project_id);
    Result<std::vector<Project>> projects_of(const std::string& user_id);

    // Password check; 401 for an unknown user, a wrong password or a disabled user.
    Result<User> authenticate(const std::string& user_id_or_name, const std::string& password);
    // 401 when the user has no role on the project (on the system when `system`). A token issued
    // from a `parent` token (the `token` method) expires when its parent does, so re-issuing never
    // extends a token's life, and it is revoked with its parent; 401 when the parent was revoked
    // meanwhile.
    Result<IssuedToken> issue_token(const User& user, const std::optional<Project>& project,
                                    const TokenInfo* parent = nullptr, bool system = false);
    // 404 "Could not find token" for unknown, expired or revoked tokens.
    Result<TokenInfo> validate_token(const std::string& token);
    // Revokes the token and every token derived from it, however many re-issues away.
    Result<void> revoke_token(const std::string& token);

  private:
    // A role on the project, or on the system without one.
    Result<void> grant(const std::string& user, const std::optional<std::string>& project,
                       const std::string& role);
    // The token's roles: assigned on the project (or the system) plus the implied ones.
    Result<std::vector<Role>> token_roles(const std::string& user_id,
                                          const std::optional<Project>& project, bool system);

    db::Database& db_;
    const Clock& clock_;
    int64_t token_ttl_ms_;
};

}  // namespace octane::identity
