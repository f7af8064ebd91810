#pragma once

// What the agent needs to know of an uploaded haproxy.cfg without understanding it: where its
// stats socket is (for the heartbeat) and which frontends it has with their modes (for
// GET /1.0/listeners), as Octavia's agent reads them (util.parse_haproxy_file). Pure.

#include <string>
#include <string_view>
#include <vector>

namespace octane::agent {

struct FrontendSummary {
    std::string name;          // the listener id
    std::string mode = "TCP";  // HTTP | TCP (upper case, from `mode`)
};

struct EngineConfigSummary {
    std::string stats_socket;  // first `stats socket <path>` of `global`; empty when none
    std::vector<FrontendSummary> frontends;
};

EngineConfigSummary summarize_engine_config(std::string_view text);

}  // namespace octane::agent
