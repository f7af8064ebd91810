#include "service/identity_commands.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "common/clock.h"
#include "db/open_database.h"
#include "identity/identity_schema.h"
#include "identity/identity_store.h"
#include "service/service_options.h"

namespace octane::service {

struct IdentityCommands::State {
    RawFlags flags;
    CLI::App* project_create = nullptr;
    CLI::App* user_create = nullptr;
    CLI::App* role_add = nullptr;
    CLI::App* project_list = nullptr;
    CLI::App* user_list = nullptr;
    std::string name, description, password, project, user, role, system;
};

IdentityCommands::IdentityCommands(CLI::App& app) : state_(std::make_unique<State>()) {
    auto& s = *state_;
    auto* project = app.add_subcommand("project", "built-in identity: projects");
    auto* user = app.add_subcommand("user", "built-in identity: users");
    auto* role = app.add_subcommand("role", "built-in identity: role assignments");
    for (auto* group : {project, user, role}) {
        group->require_subcommand(1);
    }
    s.project_create = project->add_subcommand("create", "create a project (domain Default)");
    s.project_create->add_option("name", s.name, "project name")->required();
    s.project_create->add_option("--description", s.description, "description");
    s.project_list = project->add_subcommand("list", "list projects (id name)");
    s.user_create = user->add_subcommand("create", "create a user (domain Default)");
    s.user_create->add_option("name", s.name, "user name")->required();
    s.user_create->add_option("--password", s.password, "password")->required();
    s.user_create->add_option("--project", s.project, "default project (name or id)");
    s.user_list = user->add_subcommand("list", "list users (id name)");
    s.role_add = role->add_subcommand("add", "give a user a role on a project or the system");
    s.role_add->add_option("role", s.role, "role name, e.g. member, reader, admin")->required();
    s.role_add->add_option("--user", s.user, "user name or id")->required();
    auto* on_project = s.role_add->add_option("--project", s.project, "project name or id");
    auto* on_system = s.role_add->add_option("--system", s.system, "`all`: a system role")
                          ->check(CLI::IsMember({"all"}));
    on_project->excludes(on_system);
    for (auto* command :
         {s.project_create, s.project_list, s.user_create, s.user_list, s.role_add}) {
        add_store_flags(*command, s.flags);
    }
}

IdentityCommands::~IdentityCommands() = default;

bool IdentityCommands::run(int* exit_code) {
    auto& s = *state_;
    CLI::App* chosen = nullptr;
    for (auto* command :
         {s.project_create, s.project_list, s.user_create, s.user_list, s.role_add}) {
        if (command->parsed()) {
            chosen = command;
        }
    }
    if (!chosen) {
        return false;
    }
    auto fail = [&](const std::string& message) {
        std::cerr << "octane: " << message << "\n";
        *exit_code = 1;
        return true;
    };
    auto options = resolve(s.flags);
    if (!options) {
        return fail(options.error().message);
    }
    auto url = database_url(*options);
    if (!url) {
        return fail(url.error().message);
    }
    auto database = db::open_database(*url);
    if (!database) {
        return fail(database.error().message);
    }
    if (auto migrated = identity::migrate_identity(**database); !migrated) {
        return fail(migrated.error().message);
    }
    SystemClock clock;
    identity::IdentityStore store(**database, clock, options->token_expiration);
    *exit_code = 0;
    if (chosen == s.project_create) {
        auto created = store.create_project(s.name, s.description);
        if (!created) {
            return fail(created.error().message);
        }
        std::cout << created->id << " " << created->name << "\n";
    } else if (chosen == s.project_list || chosen == s.user_list) {
        if (chosen == s.project_list) {
            auto list = store.list_projects(std::nullopt);
            if (!list) {
                return fail(list.error().message);
            }
            for (const auto& p : *list) {
                std::cout << p.id << " " << p.name << "\n";
            }
        } else {
            auto list = store.list_users(std::nullopt);
            if (!list) {
                return fail(list.error().message);
            }
            for (const auto& u : *list) {
                std::cout << u.id << " " << u.name << "\n";
            }
        }
    } else if (chosen == s.user_create) {
        std::optional<std::string> project_id;
        if (!s.project.empty()) {
            auto found = store.find_project(s.project);
            if (!found || !found->has_value()) {
                return fail("no such project: " + s.project);
            }
            project_id = (**found).id;
        }
        auto created = store.create_user(s.name, s.password, project_id);
        if (!created) {
            return fail(created.error().message);
        }
        std::cout << created->id << " " << created->name << "\n";
    } else if (chosen == s.role_add) {
        if (s.project.empty() && s.system.empty()) {
            return fail("role add needs --project or --system all");
        }
        auto done = s.system.empty() ? store.assign_role(s.user, s.project, s.role)
                                     : store.assign_system_role(s.user, s.role);
        if (!done) {
            return fail(done.error().message);
        }
    }
    return true;
}

}  // namespace octane::service
