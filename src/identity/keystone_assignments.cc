// Keystone's role-assignment listing and role lookup, as tempest's clients call them (the
// octavia plugin logs every credential's roles through GET /v3/role_assignments).

#include "identity/keystone_service.h"
#include "identity/keystone_views.h"

namespace octane::identity {
namespace {

using nlohmann::json;

// Keystone filters on `scope.project.id`; other keys (tempest's `project.id` among them) are
// ignored there, so they are here too.
json assignment_json(const RoleAssignment& a, const std::string& base) {
    return {{"role", {{"id", a.role.id}}},
            {"user", {{"id", a.user_id}}},
            {"scope", {{"project", {{"id", a.project_id}}}}},
            {"links",
             {{"assignment", base + "/identity/v3/projects/" + a.project_id + "/users/" +
                                 a.user_id + "/roles/" + a.role.id}}}};
}

http::HttpResponse store_failure() {
    return keystone_error(500,
                          "An unexpected error prevented the server from fulfilling your request.");
}

}  // namespace

http::HttpResponse KeystoneService::role_assignments(const http::HttpRequest& request,
                                                     const TokenInfo& caller) {
    if (!caller.has_role("admin")) {
        return keystone_error(403,
                              "You are not authorized to perform the requested action:"
                              " identity:list_role_assignments.");
    }
    const std::string url = base(request);
    json out = json::array();
    // Grants here are on projects only: a filter on another scope matches none.
    if (!request.query_value("scope.system") && !request.query_value("scope.domain.id") &&
        !request.query_value("group.id")) {
        auto list = store_.list_role_assignments(request.query_value("user.id"),
                                                 request.query_value("scope.project.id"));
        if (!list) {
            return store_failure();
        }
        auto role = request.query_value("role.id");
        for (const auto& a : *list) {
            if (!role || *role == a.role.id) {
                out.push_back(assignment_json(a, url));
            }
        }
    }
    return keystone_json(200, {{"role_assignments", out},
                               {"links",
                                {{"self", url + "/identity/v3/role_assignments"},
                                 {"previous", nullptr},
                                 {"next", nullptr}}}});
}

http::HttpResponse KeystoneService::show_role(const http::HttpRequest& request,
                                              const std::string& id) {
    auto roles = store_.list_roles();
    if (!roles) {
        return store_failure();
    }
    for (const auto& role : *roles) {
        if (role.id == id) {
            return keystone_json(200, {{"role", role_json(role, base(request))}});
        }
    }
    return keystone_error(404, "Could not find role: " + id + ".");
}

}  // namespace octane::identity
