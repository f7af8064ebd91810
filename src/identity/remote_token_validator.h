#pragma once

// auth_strategy = keystone against an external Keystone ([keystone_authtoken]): the service user's
// token validates callers' tokens with GET /v3/auth/tokens, as keystonemiddleware does, over http
// or https (auth_url's scheme; cafile, insecure, certfile, keyfile as keystonemiddleware names
// them, the server's certificate and host name checked unless insecure).
// Validations run concurrently: the mutexes guard only the cache and the service token, never a
// validation call. Answers are cached (token_cache.h): accepted tokens until min(now +
// token_cache_time, expires_at), refused ones for invalid_token_cache_time; and failed
// validations are limited to failed_validations_per_second (failure_budget.h), beyond which an
// uncached token is refused without asking Keystone.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "http/http_url.h"
#include "http/https_client.h"
#include "identity/failure_budget.h"
#include "identity/token_cache.h"
#include "identity/token_validator.h"

namespace octane::identity {

struct RemoteKeystoneOptions {
    std::string auth_url;  // e.g. https://keystone:5000/v3 or .../identity (v3 appended)
    std::string username, password, project_name;
    std::string user_domain_name = "Default", project_domain_name = "Default";
    // https only: CA bundle (empty = the system's), no certificate check at all, client
    // certificate and key.
    std::string ca_file, cert_file, key_file;
    bool insecure = false;
    int64_t cache_seconds = 300;
    int64_t invalid_cache_seconds = 30;
    // Bound of one call to Keystone ([keystone_authtoken] http_connect_timeout), for the connect
    // and again for the answer. Keystone on a busy host can take seconds per validation.
    int64_t timeout_seconds = 30;
    double failed_validations_per_second = 10;  // 0 = no limit
    size_t cache_entries = 4096;
};

class RemoteTokenValidator final : public TokenValidator {
  public:
    // Fails on a bad auth_url or unreadable certificate files, so that shows at start-up.
    static Result<std::unique_ptr<RemoteTokenValidator>> create(RemoteKeystoneOptions options,
                                                                const Clock& clock);
    Result<Caller> validate(const std::string& token) override;

  private:
    RemoteTokenValidator(RemoteKeystoneOptions options, const Clock& clock,
                         http::HttpsClient client, http::HttpUrl url);
    Result<http::HttpsResponse> call(const std::string& method, const std::string& path,
                                     std::vector<std::pair<std::string, std::string>> headers,
                                     const std::string& body) const;
    // The service token; a new one when there is none, it is about to expire, or it is `rejected`.
    Result<std::string> service_token(const std::string& rejected);
    struct Validated {
        Caller caller;
        std::chrono::system_clock::time_point expires_at;
    };
    // What Keystone says about the token; no lock held.
    Result<Validated> ask_keystone(const std::string& token);

    RemoteKeystoneOptions options_;
    const Clock& clock_;
    http::HttpsClient client_;
    http::HttpUrl url_;  // of /v3
    // Held while fetching a service token so concurrent validations wait for one fetch instead
    // of each making their own; never while validating.
    std::mutex service_mutex_;
    std::string service_token_;
    std::chrono::system_clock::time_point service_expires_at_;
    std::mutex cache_mutex_;  // the members below; never held across a call
    TokenCache cache_;
    FailureBudget budget_;
    bool last_failure_outage_ = false;
    std::optional<std::chrono::steady_clock::time_point> budget_warned_at_;
    uint64_t refused_unasked_ = 0;  // over the budget since the last warning
};

}  // namespace octane::identity
