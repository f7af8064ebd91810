#include "identity/remote_token_validator.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "identity/password_hash.h"
#include "identity/plain_http_client.h"

namespace octane::identity {
namespace {

using nlohmann::json;

}  // namespace

std::string RemoteTokenValidator::v3_url() const {
    std::string url = options_.auth_url;
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    if (!url.ends_with("/v3")) {
        url += "/v3";
    }
    return url;
}

Result<std::string> RemoteTokenValidator::service_token(bool refresh) {
    if (!service_token_.empty() && !refresh) {
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
    auto reply = plain_http_call("POST", v3_url() + "/auth/tokens", {}, body.dump());
    if (!reply) {
        return Unexpected(reply.error());
    }
    auto token = reply->headers.find("x-subject-token");
    if (reply->status != 201 || token == reply->headers.end()) {
        return make_error("Keystone refused the service credentials (HTTP " +
                          std::to_string(reply->status) + ")");
    }
    service_token_ = token->second;
    return service_token_;
}

Result<Caller> RemoteTokenValidator::validate(const std::string& token) {
    std::lock_guard lock(mutex_);
    const std::string key = token_digest(token);
    auto now = clock_.steady_now();
    if (auto it = cache_.find(key); it != cache_.end()) {
        if (it->second.until > now) {
            return it->second.caller;
        }
        cache_.erase(it);
    }
    PlainHttpReply reply;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto service = service_token(attempt > 0);
        if (!service) {
            return Unexpected(service.error());
        }
        auto got = plain_http_call("GET", v3_url() + "/auth/tokens?nocatalog",
                                   {{"X-Auth-Token", *service}, {"X-Subject-Token", token}}, "");
        if (!got) {
            return Unexpected(got.error());
        }
        reply = std::move(*got);
        if (reply.status != 401) {
            break;  // a 401 means our service token expired: get a new one once
        }
    }
    if (reply.status == 404 || reply.status == 401) {
        return make_error("The request you have made requires authentication.", 401);
    }
    if (reply.status != 200) {
        return make_error("Keystone answered HTTP " + std::to_string(reply.status));
    }
    json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded() || !body.contains("token")) {
        return make_error("malformed token body from Keystone");
    }
    const json& t = body["token"];
    Caller caller;
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
    if (cache_.size() >= options_.cache_entries) {
        cache_.clear();  // bounded: start over rather than grow
    }
    cache_[key] = {caller, now + std::chrono::seconds(options_.cache_seconds)};
    return caller;
}

}  // namespace octane::identity
