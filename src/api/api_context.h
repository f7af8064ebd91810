#pragma once

// What every API handler needs, passed by reference from the service assembly (no globals).

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/request_context.h"
#include "common/clock.h"
#include "common/result.h"
#include "db/object_store.h"
#include "drivers/network_driver.h"
#include "http/http_message.h"
#include "model/api_error.h"
#include "model/quota.h"

namespace octane::api {

struct ApiSettings {
    std::string auth_strategy = "noauth";
    int64_t pagination_max_limit = 1000;
    std::string api_base_uri;  // overrides the request's scheme://host in links when set
    std::string default_provider = "amphora";
    bool healthcheck_enabled = false;
    model::QuotaDefaults quota_defaults;  // [quotas] default_*_quota
};

// The auth strategy: the caller's RequestContext for a request, or the response refusing it
// (Keystone's 401 with WWW-Authenticate). Empty = noauth (X-Project-Id, every caller admin).
using Authenticator =
    std::function<Result<RequestContext, http::HttpResponse>(const http::HttpRequest&)>;

// Octavia's cert manager checks of the TLS refs a listener (is_pool false) or pool request sets,
// with the caller's rights. Empty = refs are stored unchecked (no key manager).
using TlsRefCheck = std::function<model::ApiResult<void>(
    const RequestContext& caller, const nlohmann::json& attrs, bool is_pool)>;

struct ApiContext {
    db::Database& db;
    db::ObjectStore& store;
    drivers::NetworkDriver& network;
    const Clock& clock;
    ApiSettings settings;
    std::function<void()> notify_worker;  // wakes an in-process worker; may be empty
    Authenticator authenticate;           // empty = noauth
    TlsRefCheck check_tls_refs;           // empty = not checked

    std::string now() const { return format_timestamp(clock.now()); }
};

}  // namespace octane::api
