#pragma once

// Parsing of POST /v3/auth/tokens bodies (pure): the password or token method and the scope.
// Malformed bodies fail with Error::code 400 and Keystone's wording.

#include <optional>
#include <string>

#include "common/result.h"

namespace octane::identity {

struct PasswordCredentials {
    std::optional<std::string> user_id, user_name, domain_id, domain_name;
    std::string password;
};

struct AuthRequest {
    std::optional<PasswordCredentials> password;
    std::optional<std::string> token;  // method "token"
    std::optional<std::string> project_id, project_name, project_domain_id, project_domain_name;
    bool system = false;  // "scope": {"system": {"all": true}}
};

Result<AuthRequest> parse_auth_request(const std::string& body);

}  // namespace octane::identity
