#pragma once

// The keystone auth strategy's view of a caller, and where tokens are checked: the built-in
// identity (LocalTokenValidator) or an external Keystone (RemoteTokenValidator).

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "http/http_message.h"
#include "identity/identity_store.h"

namespace octane::identity {

struct Caller {
    std::string user_id;
    std::string user_name;
    std::optional<std::string> project_id;
    bool system_scope = false;  // the token's "system": {"all": true}
    std::vector<std::string> roles;
};

class TokenValidator {
  public:
    virtual ~TokenValidator() = default;
    // Error::code 401 for an unknown, expired or revoked token; other codes for outages.
    virtual Result<Caller> validate(const std::string& token) = 0;
};

class LocalTokenValidator final : public TokenValidator {
  public:
    explicit LocalTokenValidator(IdentityStore& store) : store_(store) {}
    Result<Caller> validate(const std::string& token) override;

  private:
    IdentityStore& store_;
};

Caller caller_of(const TokenInfo& info);

// X-Auth-Token -> Caller, or the Keystone-style 401 (with WWW-Authenticate: Keystone
// uri="<www_authenticate_uri>") / 503 response to send instead.
Result<Caller, http::HttpResponse> authenticate_request(TokenValidator& validator,
                                                        const http::HttpRequest& request,
                                                        const std::string& www_authenticate_uri);

}  // namespace octane::identity
