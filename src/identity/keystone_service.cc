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

http::HttpResponse method_not_allowed() {
    return keystone_error(405, "The method is not allowed for the requested URL.");
}

http::HttpResponse discovery(const KeystoneCall& call) {
    return keystone_json(300, {{"versions", {{"values", json::array({version_v3(call.base)})}}}});
}

http::HttpResponse show_version(const KeystoneCall& call) {
    return keystone_json(200, {{"version", version_v3(call.base)}});
}

http::HttpResponse create_token(const KeystoneCall& call) {
    const auto& request = call.request;
    auto& store_ = call.store;
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
    auto response = keystone_json(201, token_body(issued->info, call.base, methods));
    response.headers.emplace_back("X-Subject-Token", issued->token);
    return response;
}

// GET/HEAD validate X-Subject-Token, DELETE revokes it; the caller's X-Auth-Token must be valid and
// belong to the same user, or to an admin (keystonemiddleware's service user).
http::HttpResponse token_call(const KeystoneCall& call) {
    const auto& request = call.request;
    auto& store_ = call.store;
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
    auto body = token_body(*target, call.base, {"password"});
    if (nocatalog) {
        body["token"].erase("catalog");
    }
    auto response = keystone_json(200, body);
    response.headers.emplace_back("X-Subject-Token", *subject);
    return response;
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

KeystoneService::KeystoneService(IdentityStore& store, std::string public_base)
    : store_(store), public_base_(std::move(public_base)) {
    // Keystone's routes, one table as its Flask blueprints would list them.
    public_routes_.add("GET", "/", discovery);
    public_routes_.add("GET", "/v3", show_version);
    public_routes_.add("POST", "/v3/auth/tokens", create_token);
    public_routes_.add("GET", "/v3/auth/tokens", token_call);
    public_routes_.add("DELETE", "/v3/auth/tokens", token_call);

    routes_.add("GET", "/v3/auth/projects", list_auth_projects);
    routes_.add("GET", "/v3/auth/catalog", show_auth_catalog);
    routes_.add("GET", "/v3/domains", list_domains);
    routes_.add("GET", "/v3/domains/{domain_id}", show_domain);
    routes_.add("GET", "/v3/projects", list_projects);
    routes_.add("POST", "/v3/projects", create_project);
    routes_.add("GET", "/v3/projects/{project_id}", show_project);
    routes_.add("DELETE", "/v3/projects/{project_id}", delete_project);
    routes_.add("PUT", "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}",
                grant_project_role);
    routes_.add("GET", "/v3/users", list_users);
    routes_.add("POST", "/v3/users", create_user);
    routes_.add("GET", "/v3/users/{user_id}", show_user);
    routes_.add("DELETE", "/v3/users/{user_id}", delete_user);
    routes_.add("GET", "/v3/users/{user_id}/projects", list_user_projects);
    routes_.add("GET", "/v3/roles", list_roles);
    routes_.add("POST", "/v3/roles", create_role);
    routes_.add("GET", "/v3/roles/{role_id}", show_role);
    routes_.add("GET", "/v3/system/users/{user_id}/roles", list_system_roles);
    for (const char* method : {"GET", "PUT", "DELETE"}) {
        routes_.add(method, "/v3/system/users/{user_id}/roles/{role_id}", system_role);
    }
    routes_.add("GET", "/v3/role_assignments", list_role_assignments);
}

http::HttpResponse KeystoneService::handle(const http::HttpRequest& request) {
    std::string path = request.path;
    if (starts_with(path, "/identity")) {
        path = path.substr(9);
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
        response.headers.emplace_back(
            "WWW-Authenticate",
            "Keystone uri=\"" + request_base(request, public_base_) + "/identity\"");
    }
    response.headers.emplace_back("Vary", "X-Auth-Token");
    return response;
}

http::HttpResponse KeystoneService::route(const http::HttpRequest& request,
                                          const std::string& path) {
    const std::string base = request_base(request, public_base_);
    auto open = public_routes_.find(request.method, path);
    if (open.outcome == http::Router<KeystoneHandler>::Outcome::kFound) {
        return (*open.handler)({store_, request, open.params, nullptr, base});
    }
    if (open.outcome == http::Router<KeystoneHandler>::Outcome::kMethodNotAllowed) {
        return method_not_allowed();
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
    auto found = routes_.find(request.method, path);
    switch (found.outcome) {
        case http::Router<KeystoneHandler>::Outcome::kNotFound:
            return keystone_error(404, "The resource could not be found.");
        case http::Router<KeystoneHandler>::Outcome::kMethodNotAllowed:
            return method_not_allowed();
        case http::Router<KeystoneHandler>::Outcome::kFound:
            break;
    }
    return (*found.handler)({store_, request, found.params, &*caller, base});
}

}  // namespace octane::identity
