// The project/user/role/domain calls of KeystoneService (everything but tokens and discovery).

#include <algorithm>
#include <map>

#include "common/strings.h"
#include "identity/keystone_service.h"
#include "identity/keystone_views.h"

namespace octane::identity {
namespace {

using nlohmann::json;

http::HttpResponse forbidden(const std::string& action) {
    return keystone_error(
        403, "You are not authorized to perform the requested action: " + action + ".");
}

http::HttpResponse no_content() {
    http::HttpResponse ok;
    ok.status = 204;
    ok.content_type.clear();
    return ok;
}

http::HttpResponse failed(const Error& error) {
    int status = error.code >= 400 && error.code < 500 ? error.code : 500;
    return keystone_error(status, status == 500 ? "An unexpected error prevented the server from"
                                                  " fulfilling your request."
                                                : error.message);
}

http::HttpResponse deleted(const Result<void>& done) {
    return done ? no_content() : failed(done.error());
}

json domain_json(const std::string& base) {
    return {{"id", kDefaultDomainId},
            {"name", kDefaultDomainName},
            {"description", "The default domain"},
            {"enabled", true},
            {"tags", json::array()},
            {"options", json::object()},
            {"links", {{"self", base + "/identity/v3/domains/default"}}}};
}

Result<json> body_object(const http::HttpRequest& request, const char* key) {
    json doc = json::parse(request.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains(key) || !doc[key].is_object()) {
        return make_error(std::string("Invalid input for field '") + key + "': '" + key +
                              "' is a required property.",
                          400);
    }
    return doc[key];
}

}  // namespace

http::HttpResponse KeystoneService::resources(const http::HttpRequest& request,
                                              const std::string& path, const TokenInfo& caller) {
    const std::string url = base(request);
    const bool admin = caller.has_role("admin");
    const bool read = request.method == "GET" || request.method == "HEAD";
    auto parts = split(path, '/');  // "", "v3", collection, id, ...
    if (parts.size() < 3 || parts[1] != "v3") {
        return keystone_error(404, "The resource could not be found.");
    }
    const std::string& collection = parts[2];
    auto mine = store_.projects_of(caller.user.id);
    if (!mine) {
        return failed(mine.error());
    }
    auto visible = [&](const Project& p) {
        if (admin) {
            return true;
        }
        for (const auto& own : *mine) {
            if (own.id == p.id) {
                return true;
            }
        }
        return false;
    };
    if (collection == "auth" && parts.size() == 4 && read) {
        if (parts[3] == "projects") {
            json list = json::array();
            for (const auto& p : *mine) {
                list.push_back(project_json(p, url));
            }
            return keystone_json(200, {{"projects", list}, {"links", json::object()}});
        }
        if (parts[3] == "catalog") {
            return keystone_json(200, {{"catalog", catalog(url)}, {"links", json::object()}});
        }
    }
    if (collection == "domains" && read) {
        bool match =
            parts.size() == 3
                ? request.query_value("name").value_or(kDefaultDomainName) == kDefaultDomainName
                : parts.size() == 4 &&
                      (parts[3] == kDefaultDomainId || parts[3] == kDefaultDomainName);
        if (parts.size() == 3) {
            json list = match ? json::array({domain_json(url)}) : json::array();
            return keystone_json(200, {{"domains", list}, {"links", json::object()}});
        }
        if (match) {
            return keystone_json(200, {{"domain", domain_json(url)}});
        }
        return keystone_error(404, "Could not find domain: " + parts.back() + ".");
    }
    if (collection == "projects") {
        if (parts.size() == 3 && read) {
            auto list = store_.list_projects(request.query_value("name"));
            if (!list) {
                return failed(list.error());
            }
            json out = json::array();
            for (const auto& p : *list) {
                if (visible(p)) {
                    out.push_back(project_json(p, url));
                }
            }
            return keystone_json(200, {{"projects", out}, {"links", json::object()}});
        }
        if (parts.size() == 3 && request.method == "POST") {
            if (!admin) {
                return forbidden("identity:create_project");
            }
            auto given = body_object(request, "project");
            if (!given) {
                return failed(given.error());
            }
            auto created = store_.create_project((*given).value("name", ""),
                                                 (*given).value("description", ""));
            if (!created) {
                return failed(created.error());
            }
            return keystone_json(201, {{"project", project_json(*created, url)}});
        }
        if (parts.size() == 4 && read) {
            auto found = store_.find_project(parts[3]);
            if (!found) {
                return failed(found.error());
            }
            if (!found->has_value() || (**found).id != parts[3]) {
                return keystone_error(404, "Could not find project: " + parts[3] + ".");
            }
            if (!visible(**found)) {
                return forbidden("identity:get_project");
            }
            return keystone_json(200, {{"project", project_json(**found, url)}});
        }
        if (parts.size() == 4 && request.method == "DELETE") {
            return admin ? deleted(store_.delete_project(parts[3]))
                         : forbidden("identity:delete_project");
        }
        // PUT /v3/projects/{project}/users/{user}/roles/{role}
        if (parts.size() == 8 && parts[4] == "users" && parts[6] == "roles" &&
            request.method == "PUT") {
            if (!admin) {
                return forbidden("identity:create_grant");
            }
            auto roles = store_.list_roles();
            if (!roles) {
                return failed(roles.error());
            }
            std::string role_name;
            for (const auto& role : *roles) {
                if (role.id == parts[7]) {
                    role_name = role.name;
                }
            }
            if (role_name.empty()) {
                return keystone_error(404, "Could not find role: " + parts[7] + ".");
            }
            if (auto done = store_.assign_role(parts[5], parts[3], role_name); !done) {
                return failed(done.error());
            }
            return no_content();
        }
    }
    if (collection == "users") {
        if (parts.size() == 3 && read) {
            if (!admin) {
                return forbidden("identity:list_users");
            }
            auto list = store_.list_users(request.query_value("name"));
            if (!list) {
                return failed(list.error());
            }
            json out = json::array();
            for (const auto& u : *list) {
                out.push_back(user_json(u, url));
            }
            return keystone_json(200, {{"users", out}, {"links", json::object()}});
        }
        if (parts.size() == 3 && request.method == "POST") {
            if (!admin) {
                return forbidden("identity:create_user");
            }
            auto given = body_object(request, "user");
            if (!given) {
                return failed(given.error());
            }
            std::optional<std::string> project;
            if ((*given).contains("default_project_id") &&
                (*given)["default_project_id"].is_string()) {
                project = (*given)["default_project_id"].get<std::string>();
            }
            auto created = store_.create_user((*given).value("name", ""),
                                              (*given).value("password", ""), project);
            if (!created) {
                return failed(created.error());
            }
            return keystone_json(201, {{"user", user_json(*created, url)}});
        }
        if (parts.size() == 4 && request.method == "DELETE") {
            return admin ? deleted(store_.delete_user(parts[3]))
                         : forbidden("identity:delete_user");
        }
        if (parts.size() >= 4 && read && (admin || parts[3] == caller.user.id)) {
            auto found = store_.find_user(parts[3]);
            if (!found) {
                return failed(found.error());
            }
            if (!found->has_value() || (**found).id != parts[3]) {
                return keystone_error(404, "Could not find user: " + parts[3] + ".");
            }
            if (parts.size() == 4) {
                return keystone_json(200, {{"user", user_json(**found, url)}});
            }
            if (parts.size() == 5 && parts[4] == "projects") {
                auto projects = store_.projects_of(parts[3]);
                if (!projects) {
                    return failed(projects.error());
                }
                json out = json::array();
                for (const auto& p : *projects) {
                    out.push_back(project_json(p, url));
                }
                return keystone_json(200, {{"projects", out}, {"links", json::object()}});
            }
        } else if (parts.size() >= 4 && read) {
            return forbidden("identity:get_user");
        }
    }
    if (collection == "roles" && parts.size() == 4 && read) {
        return show_role(request, parts[3]);
    }
    if (collection == "roles" && parts.size() == 3) {
        if (read) {
            auto list = store_.list_roles();
            if (!list) {
                return failed(list.error());
            }
            auto name = request.query_value("name");
            json out = json::array();
            for (const auto& role : *list) {
                if (!name || *name == role.name) {
                    out.push_back(role_json(role, url));
                }
            }
            return keystone_json(200, {{"roles", out}, {"links", json::object()}});
        }
        if (request.method == "POST") {
            if (!admin) {
                return forbidden("identity:create_role");
            }
            auto given = body_object(request, "role");
            if (!given) {
                return failed(given.error());
            }
            auto role = store_.ensure_role((*given).value("name", ""));
            if (!role) {
                return failed(role.error());
            }
            return keystone_json(201, {{"role", role_json(*role, url)}});
        }
    }
    if (collection == "system" && (parts.size() == 6 || parts.size() == 7) && parts[3] == "users" &&
        parts[5] == "roles") {
        return system_grant(request, parts, admin);
    }
    if (collection == "role_assignments" && parts.size() == 3 && read) {
        return role_assignments(request, url, admin, caller);
    }
    return keystone_error(404, "The resource could not be found.");
}

// /v3/system/users/{user}/roles[/{role}]: list, check (GET/HEAD), grant (PUT), revoke (DELETE).
http::HttpResponse KeystoneService::system_grant(const http::HttpRequest& request,
                                                 const std::vector<std::string>& parts,
                                                 bool admin) {
    const std::string& user_id = parts[4];
    const bool read = request.method == "GET" || request.method == "HEAD";
    if (!admin) {
        return forbidden(read ? "identity:check_system_grant_for_user"
                              : "identity:create_system_grant_for_user");
    }
    auto user = store_.find_user(user_id);
    if (!user) {
        return failed(user.error());
    }
    if (!user->has_value() || (**user).id != user_id) {
        return keystone_error(404, "Could not find user: " + user_id + ".");
    }
    auto granted = store_.system_roles_of(user_id);
    if (!granted) {
        return failed(granted.error());
    }
    if (parts.size() == 6) {
        if (!read) {
            return keystone_error(405, "The method is not allowed for the requested URL.");
        }
        json out = json::array();
        for (const auto& role : *granted) {
            out.push_back(role_json(role, base(request)));
        }
        return keystone_json(200, {{"roles", out}, {"links", json::object()}});
    }
    const std::string& role_id = parts[6];
    auto roles = store_.list_roles();
    if (!roles) {
        return failed(roles.error());
    }
    auto role =
        std::find_if(roles->begin(), roles->end(), [&](const Role& r) { return r.id == role_id; });
    if (role == roles->end()) {
        return keystone_error(404, "Could not find role: " + role_id + ".");
    }
    http::HttpResponse done;
    done.status = 204;
    done.content_type.clear();
    if (read) {
        bool has = std::any_of(granted->begin(), granted->end(),
                               [&](const Role& r) { return r.id == role_id; });
        return has ? done
                   : keystone_error(404, "Could not find role assignment with role: " + role_id +
                                             ", user or group: " + user_id +
                                             ", project, domain, or system: all.");
    }
    auto changed = request.method == "PUT"      ? store_.assign_system_role(user_id, role->name)
                   : request.method == "DELETE" ? store_.unassign_system_role(user_id, role_id)
                                                : make_error("method", 405);
    if (!changed) {
        return changed.error().code == 405
                   ? keystone_error(405, "The method is not allowed for the requested URL.")
                   : failed(changed.error());
    }
    return done;
}

// GET /v3/role_assignments with Keystone's filters scope.system, scope.project.id, user.id and
// role.id; a non-admin sees only their own assignments.
http::HttpResponse KeystoneService::role_assignments(const http::HttpRequest& request,
                                                     const std::string& url, bool admin,
                                                     const TokenInfo& caller) {
    auto all = store_.list_role_assignments();
    if (!all) {
        return failed(all.error());
    }
    auto system = request.query_value("scope.system");
    auto project = request.query_value("scope.project.id");
    auto user = request.query_value("user.id");
    auto role = request.query_value("role.id");
    if (!admin && user.value_or("") != caller.user.id) {
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
