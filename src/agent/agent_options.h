#pragma once

// Options of `octane agent`, from an amphora-agent.conf-style INI file (Octavia's option names)
// and command-line flags; a flag wins over the file.
//   [amphora_agent]     agent_server_cert (cert+key PEM), agent_server_ca (client CA bundle),
//                       agent_server_network_file (accepted, unused: no extra NICs here)
//   [haproxy_amphora]   bind_host, bind_port, base_path (state dir), base_cert_dir, haproxy_cmd
//   [health_manager]    controller_ip_port_list, heartbeat_interval (s), heartbeat_key
//   [controller_worker] amphora_id

#include <chrono>
#include <string>
#include <vector>

#include "agent/request_validation.h"
#include "common/ini_file.h"
#include "common/result.h"

namespace octane::agent {

struct AgentOptions {
    std::string config_file;  // the INI it was read from (PUT /1.0/config rewrites it)
    std::string amphora_id;
    std::string state_dir = "/var/lib/octavia";
    std::string cert_dir;  // empty = <state_dir>/certs
    std::string bind_host = "0.0.0.0";
    int bind_port = 9443;
    std::string server_cert;  // PEM certificate (+ key when server_key is empty)
    std::string server_key;
    std::string client_ca;
    std::string engine = "/usr/sbin/haproxy";
    // The network namespace the engine runs in (Octavia's amphora-haproxy), "" = the agent's.
    std::string engine_netns;
    std::string heartbeat_key;
    std::vector<Endpoint> controllers;
    std::chrono::milliseconds heartbeat_interval{10000};
    int threads = 2;
    std::string log_file;
    bool debug = false;
};

// Flags as given (strings, empty = not given), applied over the file by resolve_agent_options().
struct AgentFlags {
    std::string config_file, amphora_id, state_dir, bind_host, bind_port, server_cert, server_key,
        client_ca, engine, engine_netns, heartbeat_key, heartbeat_interval, log_file;
    std::vector<std::string> controllers;
    bool debug = false;
};

// Applies the INI's known keys over `options` (unknown keys are ignored, as oslo does).
Result<void> apply_agent_ini(const IniFile& ini, AgentOptions& options);

// Reads flags.config_file (if any), then the flags; checks that what is required is there
// (amphora id, certificates, client CA, a heartbeat key when controllers are given).
Result<AgentOptions> resolve_agent_options(const AgentFlags& flags);

// "1", "0.5", "10" seconds -> milliseconds (> 0).
Result<std::chrono::milliseconds> parse_interval(const std::string& text);

}  // namespace octane::agent
