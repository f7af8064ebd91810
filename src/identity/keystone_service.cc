#include "identity/keystone_service.h"

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "identity/auth_request.h"
#include "identity/keystone_views.h"

namespace octane::identity {
namespace {

using nlohmann::json;

http::HttpResponse from_error(const Error& error) {
    int status = error.code >= 400 && error.code < 600 ? error.code : 500;
    if (status == 500) {
        spdlog::error("identity: {}", error.message);
        return keystone_error(500,
                              "An unexpected error prevented the server from fulfilling"
                              " your request.");
    }
    return keystone_error(status, error.message);
}

}  // namespace

std::string request_base(const http::HttpRequest& request, const std::string& public_base) {
    if (!public_base.empty()) {
        std::string base = public_base;
        while (!base.empty() && base.back() == '/') {
            base.pop_back();
        }
        return base;
    }
    return "http://" + (request.host.empty() ? std::string("127.0.0.1") : request.host);
}

std::string KeystoneService::base(const http::HttpRequest& request) const {
    return request_base(request, public_base_);
}

http::HttpResponse KeystoneService::handle(const http::HttpRequest& request) {
    std::string path = request.path;
    if (starts_with(path, "/identity")) {
        path = path.substr(9);
    }
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    http::HttpResponse response;
    try {
        response = route(request, path);
    } catch (const std::exception& e) {
        spdlog::error("identity {} {}: {}", request.method, request.target, e.what());
        response = keystone_error(500,
                                  "An unexpected error prevented the server from fulfilling"
                                  " your request.");
    }
    if (request.method == "HEAD") {
        response.body.clear();
    }
    if (response.status == 401) {
        response.headers.emplace_back("WWW-Authenticate",
                                      "Keystone uri=\"" + base(request) + "/identity\"");
    }
    response.headers.emplace_back("Vary", "X-Auth-Token");
    return response;
}

http::HttpResponse KeystoneService::route(const http::HttpRequest& request,
                                          const std::string& path) {
    bool read = request.method == "GET" || request.method == "HEAD";
    if (path.empty() || path == "/") {
        if (!read) {
            return keystone_error(405, "The method is not allowed for the requested URL.");
        }
        return keystone_json(
            300, {{"versions", {{"values", json::array({version_v3(base(request))})}}}});
    }
    if (path == "/v3") {
        if (!read) {
            return keystone_error(405, "The method is not allowed for the requested URL.");
        }
        return keystone_json(200, {{"version", version_v3(base(request))}});
    }
    if (path == "/v3/auth/tokens") {
        if (request.method == "POST") {
            return create_token(request);
        }
        return token_call(request);
    }
    const std::string* token = request.header("x-auth-token");
    if (!token || token->empty()) {
        return keystone_error(401, "The request you have made requires authentication.");
    }
    auto caller = store_.validate_token(*token);
    if (!caller) {
        if (caller.error().code == 404) {
            return keystone_error(401, "The request you have made requires authentication.");
        }
        return from_error(caller.error());
    }
    return resources(request, path, *caller);
}

http::HttpResponse KeystoneService::create_token(const http::HttpRequest& request) {
    auto parsed = parse_auth_request(request.body);
    if (!parsed) {
        return from_error(parsed.error());
    }
    std::optional<User> user;
    std::optional<TokenInfo> parent;
    std::vector<std::string> methods;
    if (parsed->password) {
        methods.push_back("password");
        auto domain = domain_id_of(parsed->password->domain_id, parsed->password->domain_name);
        if (!domain && !parsed->password->user_id) {
            return keystone_error(401, "The request you have made requires authentication.");
        }
        const std::string& who =
            parsed->password->user_id ? *parsed->password->user_id : *parsed->password->user_name;
        auto checked = store_.authenticate(who, parsed->password->password);
        if (!checked) {
            return from_error(checked.error());
        }
        user = *checked;
    } else {
        methods.push_back("token");
        auto existing = store_.validate_token(*parsed->token);
        if (!existing) {
            return keystone_error(401, "The request you have made requires authentication.");
        }
        user = existing->user;
        parent = std::move(*existing);
    }
    std::optional<Project> project;
    if (parsed->project_id || parsed->project_name) {
        if (parsed->project_name &&
            !domain_id_of(parsed->project_domain_id, parsed->project_domain_name)) {
            return keystone_error(401, "The request you have made requires authentication.");
        }
        auto found =
            store_.find_project(parsed->project_id ? *parsed->project_id : *parsed->project_name);
        if (!found) {
            return from_error(found.error());
        }
        if (!found->has_value()) {
            return keystone_error(401, "The request you have made requires authentication.");
        }
        project = **found;
    }
    auto issued = store_.issue_token(*user, project, parent ? &*parent : nullptr, parsed->system);
    if (!issued) {
        return from_error(issued.error());
    }
    auto response = keystone_json(201, token_body(issued->info, base(request), methods));
    response.headers.emplace_back("X-Subject-Token", issued->token);
    return response;
}

// GET/HEAD validate X-Subject-Token, DELETE revokes it; the caller's X-Auth-Token must be valid and
// belong to the same user, or to an admin (keystonemiddleware's service user).
http::HttpResponse KeystoneService::token_call(const http::HttpRequest& request) {
    bool read = request.method == "GET" || request.method == "HEAD";
    if (!read && request.method != "DELETE") {
        return keystone_error(405, "The method is not allowed for the requested URL.");
    }
    const std::string* auth = request.header("x-auth-token");
    if (!auth || auth->empty()) {
        return keystone_error(401, "The request you have made requires authentication.");
    }
    auto caller = store_.validate_token(*auth);
    if (!caller) {
        return keystone_error(401, "The request you have made requires authentication.");
    }
    const std::string* subject = request.header("x-subject-token");
    if (!subject || subject->empty()) {
        return keystone_error(400, "Expecting to find X-Subject-Token in request headers.");
    }
    auto target = store_.validate_token(*subject);
    if (!target) {
        return from_error(target.error());
    }
    if (target->user.id != caller->user.id && !caller->has_role("admin")) {
        return keystone_error(403,
                              "You are not authorized to perform the requested action:"
                              " identity:validate_token.");
    }
    if (request.method == "DELETE") {
        if (auto revoked = store_.revoke_token(*subject); !revoked) {
            return from_error(revoked.error());
        }
        http::HttpResponse gone;
        gone.status = 204;
        gone.content_type.clear();
        return gone;
    }
    bool nocatalog = request.query_value("nocatalog").has_value();
    auto body = token_body(*target, base(request), {"password"});
    if (nocatalog) {
        body["token"].erase("catalog");
    }
    auto response = keystone_json(200, body);
    response.headers.emplace_back("X-Subject-Token", *subject);
    return response;
}

}  // namespace octane::identity
