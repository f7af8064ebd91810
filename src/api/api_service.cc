#include "api/api_service.h"

#include <spdlog/spdlog.h>

#include "api/v2/resources.h"
#include "common/strings.h"
#include "common/uuid.h"

namespace octane::api {
namespace {

using nlohmann::json;

struct Version {
    const char* id;
    const char* updated;
};

constexpr Version kVersions[] = {
    {"v2.0", "2016-12-11T00:00:00Z"},  {"v2.1", "2018-04-20T00:00:00Z"},
    {"v2.2", "2018-07-31T00:00:00Z"},  {"v2.3", "2018-12-18T00:00:00Z"},
    {"v2.4", "2018-12-19T00:00:00Z"},  {"v2.5", "2019-01-21T00:00:00Z"},
    {"v2.6", "2019-01-25T00:00:00Z"},  {"v2.7", "2018-01-25T12:00:00Z"},
    {"v2.8", "2019-02-12T00:00:00Z"},  {"v2.9", "2019-03-04T00:00:00Z"},
    {"v2.10", "2019-03-05T00:00:00Z"}, {"v2.11", "2019-06-24T00:00:00Z"},
    {"v2.12", "2019-09-11T00:00:00Z"}, {"v2.13", "2019-09-13T00:00:00Z"},
    {"v2.14", "2019-11-10T00:00:00Z"}, {"v2.15", "2020-03-10T00:00:00Z"},
    {"v2.16", "2020-03-15T00:00:00Z"}, {"v2.17", "2020-04-29T00:00:00Z"},
    {"v2.18", "2020-04-29T01:00:00Z"}, {"v2.19", "2020-05-12T00:00:00Z"},
    {"v2.20", "2020-08-02T00:00:00Z"}, {"v2.21", "2020-09-03T00:00:00Z"},
    {"v2.22", "2020-09-04T00:00:00Z"}, {"v2.23", "2020-09-07T00:00:00Z"},
    {"v2.24", "2020-10-15T00:00:00Z"}, {"v2.25", "2021-10-02T00:00:00Z"},
    {"v2.26", "2022-08-29T00:00:00Z"}, {"v2.27", "2023-05-05T00:00:00Z"},
    {"v2.28", "2023-11-08T00:00:00Z"}, {"v2.29", "2024-10-15T00:00:00Z"},
    {"v2.30", "2025-02-26T00:00:00Z"}};

json version_document(const http::HttpRequest& request) {
    std::string base =
        "http://" + (request.host.empty() ? "127.0.0.1" : request.host) + request.path;
    if (base.empty() || base.back() != '/') {
        base += "/";
    }
    json versions = json::array();
    size_t count = std::size(kVersions);
    for (size_t i = 0; i < count; ++i) {
        versions.push_back({{"id", kVersions[i].id},
                            {"status", i + 1 == count ? "CURRENT" : "SUPPORTED"},
                            {"updated", kVersions[i].updated},
                            {"links", json::array({{{"href", base + "v2"}, {"rel", "self"}}})}});
    }
    return {{"versions", versions}};
}

bool accepts_json(const http::HttpRequest& request) {
    const std::string* accept = request.header("accept");
    if (!accept || accept->empty()) {
        return true;
    }
    for (const auto& part : split(*accept, ',')) {
        std::string type = to_lower(trim(split(part, ';')[0]));
        if (type == "application/json" || type == "*/*" || type == "application/*") {
            return true;
        }
    }
    return false;
}

// /v2.0/... == /v2/...; /v2/lbaas/x == /v2/x; a ".json" suffix is accepted.
std::string canonical_path(std::string path) {
    if (path.size() > 5 && path.ends_with(".json")) {
        path.resize(path.size() - 5);
    }
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    if (starts_with(path, "/v2.0")) {
        path = "/v2" + path.substr(5);
    }
    if (starts_with(path, "/v2/lbaas/") || path == "/v2/lbaas") {
        path = "/v2" + path.substr(9);
    }
    return path;
}

RequestContext noauth_context(const http::HttpRequest& request) {
    RequestContext ctx;
    for (const char* header : {"x-project-id", "x-tenant-id", "x-tenant"}) {
        if (const auto* value = request.header(header); value && !value->empty()) {
            ctx.project_id = *value;
            break;
        }
    }
    if (const auto* user = request.header("x-user-id")) {
        ctx.user_id = *user;
    }
    if (const auto* roles = request.header("x-roles")) {
        for (const auto& role : split(*roles, ',')) {
            ctx.roles.insert(std::string(trim(role)));
        }
    }
    ctx.is_admin = true;
    return ctx;
}

}  // namespace

http::HttpResponse fault_response(const model::ApiError& error) {
    json body = {{"faultcode", error.status >= 500 ? "Server" : "Client"},
                 {"faultstring", error.message},
                 {"debuginfo", nullptr}};
    return json_response(error.status, body);
}

model::ApiResult<json> parse_body(const Call& call) {
    json body = json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        return model::api_error(400, "Request is not in valid JSON format");
    }
    return body;
}

ApiService::ApiService(ApiContext& context) : api_(context) {
    const std::string prefix = "/v2";
    v2::add_load_balancer_routes(router_, prefix);
    v2::add_status_routes(router_, prefix);
    v2::add_listener_routes(router_, prefix);
    v2::add_pool_routes(router_, prefix);
    v2::add_member_routes(router_, prefix);
    v2::add_health_monitor_routes(router_, prefix);
    v2::add_l7policy_routes(router_, prefix);
    v2::add_l7rule_routes(router_, prefix);
    v2::add_quota_routes(router_, prefix);
    v2::add_provider_routes(router_, prefix);
    v2::add_flavor_routes(router_, prefix);
    v2::add_availability_zone_routes(router_, prefix);
    v2::add_amphora_routes(router_, prefix + "/octavia");
}

http::HttpResponse ApiService::dispatch(const http::HttpRequest& request, const std::string& path,
                                        RequestContext& context) {
    if (path == "/" || path.empty()) {
        if (request.method != "GET" && request.method != "HEAD") {
            return fault_response({405, "The method specified is not allowed for this resource."});
        }
        return json_response(200, version_document(request));
    }
    if (path == "/v2") {
        return json_response(200, "v2");
    }
    if (path == "/healthcheck" && api_.settings.healthcheck_enabled) {
        http::HttpResponse ok;
        ok.content_type = "text/plain";
        ok.body = "OK";
        return ok;
    }
    auto found = router_.find(request.method, path);
    switch (found.outcome) {
        case ApiRouter::Outcome::kNotFound:
            return fault_response({404, "The resource could not be found."});
        case ApiRouter::Outcome::kMethodNotAllowed:
            return fault_response({405, "The method specified is not allowed for this resource."});
        case ApiRouter::Outcome::kFound:
            break;
    }
    Call call{request, std::move(found.params), context, api_};
    auto outcome = (*found.handler)(call);
    if (!outcome) {
        return fault_response(outcome.error());
    }
    return std::move(*outcome);
}

http::HttpResponse ApiService::handle(const http::HttpRequest& request) {
    std::string request_id = "req-" + make_uuid();
    http::HttpResponse response;
    if (!accepts_json(request)) {
        json body = {
            {"errors", json::array({{{"status", 406},
                                     {"title", "Not Acceptable"},
                                     {"detail", "Only content type application/json is accepted."},
                                     {"request_id", request_id}}})}};
        response = json_response(406, body);
    } else {
        std::string path = canonical_path(request.path);
        // The version document and the health check are public, as in Octavia.
        bool public_path = path == "/" || path.empty() || path == "/healthcheck";
        std::optional<RequestContext> context;
        if (!api_.authenticate) {
            context = noauth_context(request);
        } else if (public_path) {
            context = RequestContext{};
        } else if (auto authenticated = api_.authenticate(request); authenticated) {
            context = std::move(*authenticated);
        } else {
            response = std::move(authenticated.error());
        }
        try {
            if (context) {
                context->request_id = request_id;
                response = dispatch(request, path, *context);
            }
        } catch (const std::exception& e) {
            spdlog::error("{} {} {}: unhandled: {}", request_id, request.method, request.target,
                          e.what());
            response = fault_response({500, "An unknown exception occurred."});
        }
    }
    if (request.method == "HEAD") {
        response.body.clear();
    }
    response.headers.emplace_back("x-openstack-request-id", request_id);
    spdlog::debug("{} {} {} -> {}", request_id, request.method, request.target, response.status);
    return response;
}

}  // namespace octane::api
