#include "identity/remote_token_validator.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "identity/keystone_views.h"
#include "identity/password_hash.h"

namespace octane::identity {
namespace {

using nlohmann::json;

constexpr const char* kUnauthenticated = "The request you have made requires authentication.";

// A validation holds an API thread: an unreachable Keystone should become a 503 quickly.
// A flood of garbage tokens is worth one warning now and then, not one a token.
constexpr auto kBudgetWarningInterval = std::chrono::seconds(10);

// Keystone could not give an answer (as opposed to refusing the token): the caller gets a 503
// without this text, which stays in the log for the operator.
Unexpected<Error> outage(const std::string& detail) {
    spdlog::warn("[keystone_authtoken] token validation failed: {}", detail);
    return make_error(detail, 503);
}

std::string host_header(const http::HttpUrl& url) {
    std::string host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
    return host + ":" + std::to_string(url.port);
}

}  // namespace

Result<std::unique_ptr<RemoteTokenValidator>> RemoteTokenValidator::create(
    RemoteKeystoneOptions options, const Clock& clock) {
    auto url = http::parse_http_url(options.auth_url);
    if (!url) {
        return make_error("[keystone_authtoken] auth_url: " + url.error().message);
    }
    if (!url->path.ends_with("/v3")) {
        url->path += "/v3";
    }
    http::HttpsClientOptions tls;
    tls.plain = !url->tls;
    tls.verify = !options.insecure;
    tls.ca_file = options.ca_file;
    tls.cert_file = options.cert_file;
    tls.key_file = options.key_file;
    tls.connect_timeout = std::chrono::seconds(options.timeout_seconds);
    tls.read_timeout = std::chrono::seconds(options.timeout_seconds);
    tls.user_agent = "octane keystone_authtoken";
    auto client = http::HttpsClient::create(tls);
    if (!client) {
        return make_error("[keystone_authtoken]: " + client.error().message);
    }
    return std::unique_ptr<RemoteTokenValidator>(
        new RemoteTokenValidator(std::move(options), clock, std::move(*client), std::move(*url)));
}

RemoteTokenValidator::RemoteTokenValidator(RemoteKeystoneOptions options, const Clock& clock,
                                           http::HttpsClient client, http::HttpUrl url)
    : options_(std::move(options)),
      clock_(clock),
      client_(std::move(client)),
      url_(std::move(url)),
      cache_({std::chrono::seconds(options_.cache_seconds),
              std::chrono::seconds(options_.invalid_cache_seconds), options_.cache_entries}),
      budget_(options_.failed_validations_per_second, clock.steady_now()) {}

Result<http::HttpsResponse> RemoteTokenValidator::call(
    const std::string& method, const std::string& path,
    std::vector<std::pair<std::string, std::string>> headers, const std::string& body) const {
    http::HttpsRequest request;
    request.method = method;
    request.host = url_.host;
    request.port = url_.port;
    request.target = url_.path + path;
    if (url_.tls && !options_.insecure) {
        request.expected_server_name = url_.host;
    }
    request.body = body;
    if (!body.empty()) {
        request.content_type = "application/json";
    }
    headers.emplace_back("Host", host_header(url_));
    headers.emplace_back("Accept", "application/json");
    request.headers = std::move(headers);
    return client_.request(request);
}

Result<std::string> RemoteTokenValidator::service_token(const std::string& rejected) {
    std::lock_guard lock(service_mutex_);
    if (!service_token_.empty() && service_token_ != rejected &&
        clock_.now() < service_expires_at_) {
        return service_token_;
    }
    json body = {{"auth",
                  {{"identity",
                    {{"methods", {"password"}},
                     {"password",
                      {{"user",
                        {{"name", options_.username},
                         {"domain", {{"name", options_.user_domain_name}}},
                         {"password", options_.password}}}}}}},
                   {"scope",
                    {{"project",
                      {{"name", options_.project_name},
                       {"domain", {{"name", options_.project_domain_name}}}}}}}}}};
    auto reply = call("POST", "/auth/tokens", {}, body.dump());
    if (!reply) {
        return outage("cannot reach Keystone: " + reply.error().message);
    }
    const std::string* token = reply->header("x-subject-token");
    if (reply->status != 201 || !token) {
        return outage("Keystone refused the service credentials (HTTP " +
                      std::to_string(reply->status) + ")");
    }
    service_token_ = *token;
    // Replaced a little before it runs out (half its life at most); without an expiry, only when
    // Keystone refuses it.
    service_expires_at_ = std::chrono::system_clock::time_point::max();
    json issued = json::parse(reply->body, nullptr, false);
    if (issued.is_object() && issued.contains("token") && issued["token"].is_object() &&
        issued["token"].contains("expires_at") && issued["token"]["expires_at"].is_string()) {
        if (auto expires = parse_keystone_time(issued["token"]["expires_at"].get<std::string>())) {
            auto now = clock_.now();
            auto margin = std::min<std::chrono::system_clock::duration>(std::chrono::seconds(60),
                                                                        (*expires - now) / 2);
            service_expires_at_ = *expires - margin;
        }
    }
    return service_token_;
}

Result<Caller> RemoteTokenValidator::validate(const std::string& token) {
    const std::string key = token_digest(token);
    {
        std::lock_guard lock(cache_mutex_);
        const auto now = clock_.steady_now();
        auto hit = cache_.lookup(key, now, clock_.now());
        if (hit.verdict == TokenCache::Verdict::kValid) {
            return hit.caller;
        }
        if (hit.verdict == TokenCache::Verdict::kInvalid) {
            return make_error(kUnauthenticated, 401);
        }
        if (!budget_.try_spend(now)) {
            // A flood of unknown tokens does not become a flood of calls; while Keystone is
            // unreachable the answer stays 503 rather than blaming the token.
            ++refused_unasked_;
            if (!budget_warned_at_ || now - *budget_warned_at_ >= kBudgetWarningInterval) {
                spdlog::warn(
                    "[keystone_authtoken] failed_validations_per_second reached: {} unknown "
                    "token(s) refused without asking Keystone",
                    refused_unasked_);
                budget_warned_at_ = now;
                refused_unasked_ = 0;
            }
            if (last_failure_outage_) {
                return make_error("Keystone unreachable, validation budget spent", 503);
            }
            return make_error(kUnauthenticated, 401);
        }
    }
    auto answer = ask_keystone(token);  // no lock: validations run concurrently
    std::lock_guard lock(cache_mutex_);
    if (answer) {
        budget_.refund();
        cache_.remember_valid(key, answer->caller, answer->expires_at, clock_.steady_now(),
                              clock_.now());
        return answer->caller;
    }
    last_failure_outage_ = answer.error().code != 401;
    if (answer.error().code == 401) {
        cache_.remember_invalid(key, clock_.steady_now());
    }
    return Unexpected(answer.error());
}

Result<RemoteTokenValidator::Validated> RemoteTokenValidator::ask_keystone(
    const std::string& token) {
    http::HttpsResponse reply;
    std::string rejected;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto service = service_token(rejected);
        if (!service) {
            return Unexpected(service.error());
        }
        auto got = call("GET", "/auth/tokens?nocatalog",
                        {{"X-Auth-Token", *service}, {"X-Subject-Token", token}}, "");
        if (!got) {
            return outage("cannot reach Keystone: " + got.error().message);
        }
        reply = std::move(*got);
        if (reply.status != 401) {
            break;  // a 401 means our service token expired: get a new one once
        }
        rejected = *service;
    }
    if (reply.status == 404) {
        return make_error(kUnauthenticated, 401);
    }
    if (reply.status != 200) {
        return outage("Keystone answered HTTP " + std::to_string(reply.status) +
                      " to a token validation");
    }
    json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded() || !body.contains("token") || !body["token"].is_object()) {
        return outage("malformed token body from Keystone");
    }
    Caller caller;
    std::optional<std::chrono::system_clock::time_point> expires;
    try {
        const json& t = body["token"];
        if (t.contains("user") && t["user"].is_object()) {
            caller.user_id = t["user"].value("id", "");
            caller.user_name = t["user"].value("name", "");
        }
        if (t.contains("project") && t["project"].is_object()) {
            caller.project_id = t["project"].value("id", "");
        }
        caller.system_scope =
            t.contains("system") && t["system"].is_object() && t["system"].value("all", false);
        for (const auto& role : t.value("roles", json::array())) {
            caller.roles.push_back(role.value("name", ""));
        }
        expires = parse_keystone_time(t.value("expires_at", ""));
    } catch (const json::exception& e) {
        return outage(std::string("malformed token body from Keystone: ") + e.what());
    }
    if (!expires) {
        return outage("token body from Keystone without a valid expires_at");
    }
    if (*expires <= clock_.now()) {
        return make_error(kUnauthenticated, 401);  // its own expiry wins over Keystone's word
    }
    return Validated{caller, *expires};
}

}  // namespace octane::identity
