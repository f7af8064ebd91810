// `octane-agent-test`: the `octane agent` subcommand alone (same code: agent/agent_command.h), so
// the agent scenarios run without linking the whole control plane. `octane agent` is what ships.

#include <CLI/CLI.hpp>

#include "agent/agent_command.h"

int main(int argc, char** argv) {
    CLI::App app{"octane agent (test build)"};
    app.require_subcommand(1);
    octane::agent::AgentFlags flags;
    octane::agent::add_agent_command(app, flags);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return octane::agent::run_agent(flags);
}
