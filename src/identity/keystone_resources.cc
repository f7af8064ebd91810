// The project/user/role/domain calls of KeystoneService (everything but tokens, discovery and
// grants), one handler per route of its table.

#include <algorithm>
#include <iterator>

#include "common/strings.h"
#include "identity/keystone_handlers.h"
#include "identity/keystone_views.h"

namespace octane::identity {
namespace {

using nlohmann::json;

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

http::HttpResponse project_list(const KeystoneCall& call, const std::vector<Project>& projects) {
    json list = json::array();
    for (const auto& p : projects) {
        list.push_back(project_json(p, call.base));
    }
    return keystone_json(200, {{"projects", list}, {"links", json::object()}});
}

// An admin sees every project, anyone else the projects they have a role on.
struct Visibility {
    bool all = false;
    std::vector<Project> mine;

    bool sees(const Project& project) const {
        return all || std::any_of(mine.begin(), mine.end(),
                                  [&](const Project& own) { return own.id == project.id; });
    }
};

Result<Visibility> visibility(const KeystoneCall& call) {
    if (call.admin()) {
        return Visibility{true, {}};
    }
    auto mine = call.store.projects_of(call.caller->user.id);
    if (!mine) {
        return Unexpected(mine.error());
    }
    return Visibility{false, std::move(*mine)};
}

// The user named by the path when the caller may read it (an admin, or the user itself).
Result<User, http::HttpResponse> readable_user(const KeystoneCall& call) {
    const std::string& id = call.param("user_id");
    if (!call.admin() && id != call.caller->user.id) {
        return Unexpected(forbidden("identity:get_user"));
    }
    auto found = call.store.find_user(id);
    if (!found) {
        return Unexpected(failed(found.error()));
    }
    if (!found->has_value() || (**found).id != id) {
        return Unexpected(keystone_error(404, "Could not find user: " + id + "."));
    }
    return **found;
}

}  // namespace

http::HttpResponse failed(const Error& error) {
    int status = error.code >= 400 && error.code < 500 ? error.code : 500;
    return keystone_error(status, status == 500 ? "An unexpected error prevented the server from"
                                                  " fulfilling your request."
                                                : error.message);
}

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

http::HttpResponse list_auth_projects(const KeystoneCall& call) {
    auto mine = call.store.projects_of(call.caller->user.id);
    return mine ? project_list(call, *mine) : failed(mine.error());
}

http::HttpResponse show_auth_catalog(const KeystoneCall& call) {
    return keystone_json(200, {{"catalog", catalog(call.base)}, {"links", json::object()}});
}

http::HttpResponse list_domains(const KeystoneCall& call) {
    bool match =
        call.request.query_value("name").value_or(kDefaultDomainName) == kDefaultDomainName;
    json list = match ? json::array({domain_json(call.base)}) : json::array();
    return keystone_json(200, {{"domains", list}, {"links", json::object()}});
}

http::HttpResponse show_domain(const KeystoneCall& call) {
    const std::string& id = call.param("domain_id");
    if (id == kDefaultDomainId || id == kDefaultDomainName) {
        return keystone_json(200, {{"domain", domain_json(call.base)}});
    }
    return keystone_error(404, "Could not find domain: " + id + ".");
}

http::HttpResponse list_projects(const KeystoneCall& call) {
    auto list = call.store.list_projects(call.request.query_value("name"));
    if (!list) {
        return failed(list.error());
    }
    auto seen = visibility(call);
    if (!seen) {
        return failed(seen.error());
    }
    std::vector<Project> shown;
    std::copy_if(list->begin(), list->end(), std::back_inserter(shown),
                 [&](const Project& p) { return seen->sees(p); });
    return project_list(call, shown);
}

http::HttpResponse create_project(const KeystoneCall& call) {
    if (!call.admin()) {
        return forbidden("identity:create_project");
    }
    auto given = body_object(call.request, "project");
    if (!given) {
        return failed(given.error());
    }
    auto created =
        call.store.create_project((*given).value("name", ""), (*given).value("description", ""));
    if (!created) {
        return failed(created.error());
    }
    return keystone_json(201, {{"project", project_json(*created, call.base)}});
}

http::HttpResponse show_project(const KeystoneCall& call) {
    const std::string& id = call.param("project_id");
    auto found = call.store.find_project(id);
    if (!found) {
        return failed(found.error());
    }
    if (!found->has_value() || (**found).id != id) {
        return keystone_error(404, "Could not find project: " + id + ".");
    }
    auto seen = visibility(call);
    if (!seen) {
        return failed(seen.error());
    }
    if (!seen->sees(**found)) {
        return forbidden("identity:get_project");
    }
    return keystone_json(200, {{"project", project_json(**found, call.base)}});
}

http::HttpResponse delete_project(const KeystoneCall& call) {
    return call.admin() ? deleted(call.store.delete_project(call.param("project_id")))
                        : forbidden("identity:delete_project");
}

http::HttpResponse list_users(const KeystoneCall& call) {
    if (!call.admin()) {
        return forbidden("identity:list_users");
    }
    auto list = call.store.list_users(call.request.query_value("name"));
    if (!list) {
        return failed(list.error());
    }
    json out = json::array();
    for (const auto& u : *list) {
        out.push_back(user_json(u, call.base));
    }
    return keystone_json(200, {{"users", out}, {"links", json::object()}});
}

http::HttpResponse create_user(const KeystoneCall& call) {
    if (!call.admin()) {
        return forbidden("identity:create_user");
    }
    auto given = body_object(call.request, "user");
    if (!given) {
        return failed(given.error());
    }
    std::optional<std::string> project;
    if ((*given).contains("default_project_id") && (*given)["default_project_id"].is_string()) {
        project = (*given)["default_project_id"].get<std::string>();
    }
    auto created =
        call.store.create_user((*given).value("name", ""), (*given).value("password", ""), project);
    if (!created) {
        return failed(created.error());
    }
    return keystone_json(201, {{"user", user_json(*created, call.base)}});
}

http::HttpResponse show_user(const KeystoneCall& call) {
    auto user = readable_user(call);
    return user ? keystone_json(200, {{"user", user_json(*user, call.base)}}) : user.error();
}

http::HttpResponse delete_user(const KeystoneCall& call) {
    return call.admin() ? deleted(call.store.delete_user(call.param("user_id")))
                        : forbidden("identity:delete_user");
}

http::HttpResponse list_user_projects(const KeystoneCall& call) {
    auto user = readable_user(call);
    if (!user) {
        return user.error();
    }
    auto projects = call.store.projects_of(user->id);
    return projects ? project_list(call, *projects) : failed(projects.error());
}

http::HttpResponse list_roles(const KeystoneCall& call) {
    auto list = call.store.list_roles();
    if (!list) {
        return failed(list.error());
    }
    auto name = call.request.query_value("name");
    json out = json::array();
    for (const auto& role : *list) {
        if (!name || *name == role.name) {
            out.push_back(role_json(role, call.base));
        }
    }
    return keystone_json(200, {{"roles", out}, {"links", json::object()}});
}

http::HttpResponse create_role(const KeystoneCall& call) {
    if (!call.admin()) {
        return forbidden("identity:create_role");
    }
    auto given = body_object(call.request, "role");
    if (!given) {
        return failed(given.error());
    }
    auto role = call.store.ensure_role((*given).value("name", ""));
    if (!role) {
        return failed(role.error());
    }
    return keystone_json(201, {{"role", role_json(*role, call.base)}});
}

}  // namespace octane::identity
