// Keystone's role look-up, grants (project and system scope) and role assignments, as tempest's
// clients call them (the octavia plugin logs every credential's roles by id and grants system
// roles for its admin credentials).

#include <algorithm>
#include <map>

#include "identity/keystone_handlers.h"
#include "identity/keystone_views.h"

namespace octane::identity {
namespace {

using nlohmann::json;

// The role with this id, or the answer that ends the call.
Result<Role, http::HttpResponse> role_by_id(const KeystoneCall& call, const std::string& id) {
    auto roles = call.store.list_roles();
    if (!roles) {
        return Unexpected(failed(roles.error()));
    }
    for (const auto& role : *roles) {
        if (role.id == id) {
            return role;
        }
    }
    return Unexpected(keystone_error(404, "Could not find role: " + id + "."));
}

// The system roles of the user in the path; only an admin may see or change them.
Result<std::vector<Role>, http::HttpResponse> system_roles(const KeystoneCall& call, bool read) {
    const std::string& user_id = call.param("user_id");
    if (!call.admin()) {
        return Unexpected(forbidden(read ? "identity:check_system_grant_for_user"
                                         : "identity:create_system_grant_for_user"));
    }
    auto user = call.store.find_user(user_id);
    if (!user) {
        return Unexpected(failed(user.error()));
    }
    if (!user->has_value() || (**user).id != user_id) {
        return Unexpected(keystone_error(404, "Could not find user: " + user_id + "."));
    }
    auto granted = call.store.system_roles_of(user_id);
    if (!granted) {
        return Unexpected(failed(granted.error()));
    }
    return std::move(*granted);
}

}  // namespace

http::HttpResponse show_role(const KeystoneCall& call) {
    auto role = role_by_id(call, call.param("role_id"));
    return role ? keystone_json(200, {{"role", role_json(*role, call.base)}}) : role.error();
}

// PUT /v3/projects/{project_id}/users/{user_id}/roles/{role_id}
http::HttpResponse grant_project_role(const KeystoneCall& call) {
    if (!call.admin()) {
        return forbidden("identity:create_grant");
    }
    auto role = role_by_id(call, call.param("role_id"));
    if (!role) {
        return role.error();
    }
    auto done = call.store.assign_role(call.param("user_id"), call.param("project_id"), role->name);
    return done ? no_content() : failed(done.error());
}

http::HttpResponse list_system_roles(const KeystoneCall& call) {
    auto granted = system_roles(call, true);
    if (!granted) {
        return granted.error();
    }
    json out = json::array();
    for (const auto& role : *granted) {
        out.push_back(role_json(role, call.base));
    }
    return keystone_json(200, {{"roles", out}, {"links", json::object()}});
}

http::HttpResponse system_role(const KeystoneCall& call) {
    const std::string& method = call.request.method;
    const bool read = method == "GET" || method == "HEAD";
    auto granted = system_roles(call, read);
    if (!granted) {
        return granted.error();
    }
    const std::string& user_id = call.param("user_id");
    const std::string& role_id = call.param("role_id");
    auto role = role_by_id(call, role_id);
    if (!role) {
        return role.error();
    }
    if (read) {
        bool has = std::any_of(granted->begin(), granted->end(),
                               [&](const Role& r) { return r.id == role_id; });
        return has ? no_content()
                   : keystone_error(404, "Could not find role assignment with role: " + role_id +
                                             ", user or group: " + user_id +
                                             ", project, domain, or system: all.");
    }
    auto changed = method == "PUT" ? call.store.assign_system_role(user_id, role->name)
                                   : call.store.unassign_system_role(user_id, role_id);
    return changed ? no_content() : failed(changed.error());
}

// GET /v3/role_assignments with Keystone's filters scope.system, scope.project.id, user.id and
// role.id; a non-admin sees only their own assignments.
http::HttpResponse list_role_assignments(const KeystoneCall& call) {
    const auto& request = call.request;
    auto& store_ = call.store;
    const std::string& url = call.base;
    auto all = store_.list_role_assignments();
    if (!all) {
        return failed(all.error());
    }
    auto system = request.query_value("scope.system");
    auto project = request.query_value("scope.project.id");
    auto user = request.query_value("user.id");
    auto role = request.query_value("role.id");
    if (!call.admin() && user.value_or("") != call.caller->user.id) {
        return forbidden("identity:list_role_assignments");
    }
    // include_names (openstack role assignment list --names): names beside the ids.
    std::map<std::string, std::string> names;
    if (request.query_value("include_names")) {
        auto users = store_.list_users(std::nullopt);
        auto roles = store_.list_roles();
        auto projects = store_.list_projects(std::nullopt);
        if (!users || !roles || !projects) {
            return failed(!users ? users.error() : !roles ? roles.error() : projects.error());
        }
        for (const auto& u : *users) {
            names[u.id] = u.name;
        }
        for (const auto& r : *roles) {
            names[r.id] = r.name;
        }
        for (const auto& p : *projects) {
            names[p.id] = p.name;
        }
    }
    auto ref = [&](const std::string& id, bool in_domain) {
        json out = {{"id", id}};
        if (auto it = names.find(id); it != names.end()) {
            out["name"] = it->second;
            if (in_domain) {
                out["domain"] = {{"id", kDefaultDomainId}, {"name", kDefaultDomainName}};
            }
        }
        return out;
    };
    json out = json::array();
    for (const auto& a : *all) {
        bool on_system = a.project_id.empty();
        if ((system && !on_system) || (project && a.project_id != *project) ||
            (user && a.user_id != *user) || (role && a.role_id != *role)) {
            continue;
        }
        json scope = on_system ? json{{"system", {{"all", true}}}}
                               : json{{"project", ref(a.project_id, true)}};
        std::string target = on_system ? "/system" : "/projects/" + a.project_id;
        out.push_back({{"role", ref(a.role_id, false)},
                       {"user", ref(a.user_id, true)},
                       {"scope", scope},
                       {"links",
                        {{"assignment", url + "/identity/v3" + target + "/users/" + a.user_id +
                                            "/roles/" + a.role_id}}}});
    }
    return keystone_json(200, {{"role_assignments", out},
                               {"links",
                                {{"self", url + "/identity/v3/role_assignments"},
                                 {"previous", nullptr},
                                 {"next", nullptr}}}});
}

}  // namespace octane::identity
