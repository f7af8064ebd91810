#pragma once

// Who is calling: built once per request by the auth strategy (noauth today, Keystone later) and
// passed to every policy check, so both modes feed the same handlers.

#include <optional>
#include <set>
#include <string>

namespace octane::api {

struct RequestContext {
    std::optional<std::string> project_id;
    std::optional<std::string> user_id;
    std::set<std::string> roles;
    bool is_admin = false;
    bool enforce_quota = false;  // off under noauth, as in Octavia
    std::string request_id;
};

}  // namespace octane::api
