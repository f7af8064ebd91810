#pragma once

// `octane agent`: the amphora agent daemon (Octavia's amphora-agent). Runs until SIGTERM/SIGINT,
// then stops its engines and exits 0. Files under --state-dir (Octavia's base_path):
//   agent.port                    the bound port (always written; useful with --bind-port 0)
//   <lb_id>/haproxy.cfg           the running configuration (replaced atomically after `-c`)
//   <lb_id>/haproxy.pid           the engine's pid; <lb_id>/engine.log its output
//   <lb_id>/stopped               present while the LB is stopped on purpose
//   certs/<lb_id>/<name>.pem      uploaded certificates (0600); interface-rules/<ip>.json
//   stats_counters.json           last absolute counters (heartbeat deltas)

#include "agent/agent_options.h"

namespace CLI {
class App;
}

namespace octane::agent {

// Adds the `agent` subcommand and its flags to app; values land in `flags` when parsed.
CLI::App* add_agent_command(CLI::App& app, AgentFlags& flags);

// Resolves the options and runs the agent; returns the process exit code (2 = bad options).
int run_agent(const AgentFlags& flags);

}  // namespace octane::agent
