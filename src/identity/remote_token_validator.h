#pragma once

// auth_strategy = keystone against an external Keystone ([keystone_authtoken]): the service user's
// token validates callers' tokens with GET /v3/auth/tokens, as keystonemiddleware does; results are
// cached in-process (bounded count, bounded age: [keystone_authtoken] token_cache_time). Calls to
// Keystone run outside the lock, so one slow validation does not hold up every other request.

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "identity/token_validator.h"

namespace octane::identity {

struct RemoteKeystoneOptions {
    std::string auth_url;  // e.g. http://keystone:5000/v3 or .../identity (v3 appended)
    std::string username, password, project_name;
    std::string user_domain_name = "Default", project_domain_name = "Default";
    int64_t cache_seconds = 300;
    // Bound of one call to Keystone ([keystone_authtoken] http_connect_timeout). Keystone on a busy
    // host can take seconds per validation; past this the request is answered 503.
    int64_t timeout_seconds = 30;
    size_t cache_entries = 4096;
};

class RemoteTokenValidator final : public TokenValidator {
  public:
    RemoteTokenValidator(RemoteKeystoneOptions options, const Clock& clock)
        : options_(std::move(options)), clock_(clock) {}
    Result<Caller> validate(const std::string& token) override;

  private:
    Result<std::string> service_token(bool refresh);
    std::string v3_url() const;
    int timeout_ms() const;

    struct Cached {
        Caller caller;
        std::chrono::steady_clock::time_point until;
    };
    RemoteKeystoneOptions options_;
    const Clock& clock_;
    std::mutex mutex_;  // guards service_token_ and cache_, never held across a call
    std::string service_token_;
    std::map<std::string, Cached> cache_;  // key: token digest
};

}  // namespace octane::identity
