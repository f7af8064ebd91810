#pragma once

// Who is calling: built once per request by the auth strategy (noauth today, Keystone later) and
// passed to every policy check, so both modes feed the same handlers.

#include <optional>
#include <set>
#include <string>

namespace octane::api {

// oslo.policy's two switches ([oslo_policy]); both true selects Keystone's default roles with
// scope (Octavia since oslo.policy 4.4), enforce_new_defaults false Octavia's advanced RBAC.
struct PolicyConfig {
    bool enforce_new_defaults = true;
    bool enforce_scope = true;
};

struct RequestContext {
    std::optional<std::string> project_id;
    std::optional<std::string> user_id;
    std::set<std::string> roles;
    bool system_scope = false;  // a system-scoped token ("system": {"all": true}), no project
    PolicyConfig policy;        // travels with the caller so every check site stays unchanged
    bool is_admin = false;
    bool enforce_quota = false;  // off under noauth, as in Octavia
    std::string request_id;
};

}  // namespace octane::api
