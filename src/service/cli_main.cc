#include "service/cli_main.h"

#include <iostream>

#include <CLI/CLI.hpp>
#include <sys/stat.h>

#include "agent/agent_command.h"
#include "service/daemons.h"
#include "service/host_agent_commands.h"
#include "service/host_commands.h"
#include "service/identity_commands.h"

namespace octane::service {

int cli_main(int argc, char** argv) {
    // Everything Octane writes (database, keys, certificates, configurations, sockets) is for its
    // own user only; a file meant to be shared is chmod-ed explicitly.
    umask(077);
    CLI::App app{"Octane: an Octavia-compatible load balancer service"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "octane 0.1.0");
    struct Command {
        const char* name;
        const char* help;
        Role role;
        RawFlags flags;
    };
    Command commands[] = {
        {"serve", "all-in-one: API + worker over an embedded database", Role::kAllInOne, {}},
        {"api", "the Octavia v2 API daemon alone", Role::kApiOnly, {}},
        {"worker", "the controller worker daemon alone", Role::kWorkerOnly, {}},
        {"health", "the health manager daemon alone (heartbeats, failover)", Role::kHealthOnly, {}},
    };
    for (auto& command : commands) {
        auto* sub = app.add_subcommand(command.name, command.help);
        add_flags(*sub, command.flags);
    }
    IdentityCommands identity_commands(app);
    HostCommands host_commands(app);
    HostAgentCommands host_agent_commands(app);
    agent::AgentFlags agent_flags;
    agent::add_agent_command(app, agent_flags);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (int code = 0; identity_commands.run(&code)) {
        return code;
    }
    if (int code = 0; host_commands.run(&code)) {
        return code;
    }
    if (int code = 0; host_agent_commands.run(&code)) {
        return code;
    }
    if (app.got_subcommand("agent")) {
        return agent::run_agent(agent_flags);
    }
    for (auto& command : commands) {
        if (app.got_subcommand(command.name)) {
            auto options = resolve(command.flags);
            if (!options) {
                std::cerr << "octane " << command.name << ": " << options.error().message << "\n";
                return 2;
            }
            return run_daemon(command.role, *options);
        }
    }
    return 2;
}

}  // namespace octane::service
