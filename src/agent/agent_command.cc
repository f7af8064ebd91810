#include "agent/agent_command.h"

#include <csignal>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "agent/agent_api.h"
#include "agent/engine_supervisor.h"
#include "agent/file_util.h"
#include "agent/heartbeat_sender.h"
#include "agent/host_info.h"
#include "agent/keepalived_supervisor.h"
#include "agent/process.h"
#include "common/logging.h"
#include "common/stop_signals.h"
#include "http/tls_server.h"
#include "wire/peer_name.h"

namespace octane::agent {

CLI::App* add_agent_command(CLI::App& app, AgentFlags& f) {
    auto* sub = app.add_subcommand("agent",
                                   "the amphora agent: Octavia agent API over mutual TLS, "
                                   "engine supervision, heartbeats");
    sub->add_option("--config-file", f.config_file, "amphora-agent.conf-style INI file");
    sub->add_option("--amphora-id", f.amphora_id, "this amphora's id (certificate CN)");
    sub->add_option("--state-dir", f.state_dir, "base path for configs, pids, sockets, certs");
    sub->add_option("--bind-host", f.bind_host, "address of the agent API (default 0.0.0.0)");
    sub->add_option("--bind-port", f.bind_port, "port of the agent API (default 9443; 0 = any)");
    sub->add_option("--server-cert", f.server_cert,
                    "PEM server certificate (+ key if no --server-key)");
    sub->add_option("--server-key", f.server_key, "PEM server key");
    sub->add_option("--client-ca", f.client_ca, "PEM CA bundle client certificates must chain to");
    sub->add_option("--engine", f.engine, "engine binary: octane-proxy or haproxy");
    sub->add_option("--engine-netns", f.engine_netns,
                    "network namespace of the engine (/run/netns/<name>, as amphora-haproxy)");
    sub->add_option("--heartbeat-key", f.heartbeat_key, "HMAC key of the heartbeats");
    sub->add_option("--controller", f.controllers, "health manager ip:port (repeatable)");
    sub->add_option("--heartbeat-interval", f.heartbeat_interval, "seconds between heartbeats");
    sub->add_option("--log-file", f.log_file, "log file (default stderr)");
    sub->add_flag("--debug", f.debug, "debug logging");
    return sub;
}

namespace {

// UDP/SCTP listeners always run on octane-proxy: the configured engine when it is octane-proxy,
// else the octane-proxy installed beside this binary (HAProxy has no UDP side; Octavia uses
// keepalived/IPVS, which Octane replaces).
std::string lvs_engine_for(const std::string& engine) {
    if (std::filesystem::path(engine).filename() == "octane-proxy") {
        return engine;
    }
    std::error_code ec;
    auto dir = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
    for (const auto& candidate : {dir / "octane-proxy", dir.parent_path() / "octane-proxy"}) {
        if (!ec && std::filesystem::exists(candidate, ec)) {
            return candidate.string();
        }
    }
    return "octane-proxy";  // from PATH
}

std::string probe_engine_version(const std::string& engine) {
    auto outcome = run_command({engine, "-v"}, std::chrono::seconds(5));
    if (!outcome || outcome->exit_code != 0) {
        spdlog::warn("cannot run {} -v", engine);
        return "";
    }
    return engine_version_from_output(outcome->output);
}

}  // namespace

int run_agent(const AgentFlags& flags) {
    auto resolved = resolve_agent_options(flags);
    if (!resolved) {
        std::cerr << "octane agent: " << resolved.error().message << "\n";
        return 2;
    }
    const AgentOptions& o = *resolved;
    sigset_t stop_signals = block_stop_signals();
    std::signal(SIGPIPE, SIG_IGN);
    setup_logging(o.debug ? "debug" : "info", o.log_file);
    std::error_code ec;
    std::filesystem::create_directories(o.state_dir, ec);
    std::filesystem::create_directories(o.cert_dir, ec);
    if (ec) {
        spdlog::critical("cannot create {}: {}", o.state_dir, ec.message());
        return 1;
    }
    std::string engine_version = probe_engine_version(o.engine);
    EngineSupervisor engines(
        {.engine = o.engine,
         .lvs_engine = lvs_engine_for(o.engine),
         .state_dir = o.state_dir,
         .peer_name = wire::peer_name(o.amphora_id),
         .netns = o.engine_netns,
         // haproxy notifies only as a systemd service (-Ws); octane-proxy always does.
         .wait_ready = std::filesystem::path(o.engine).filename() == "octane-proxy"});
    KeepalivedSupervisor keepalived({.dir = o.state_dir + "/vrrp", .netns = o.engine_netns});
    HeartbeatSender heartbeat(o.amphora_id, o.state_dir + "/stats_counters.json",
                              {o.controllers, o.heartbeat_key, o.heartbeat_interval}, engines);
    AgentApi api(o, engine_version, engines, keepalived, heartbeat);
    http::TlsServerOptions tls;
    tls.http.bind_host = o.bind_host;
    tls.http.bind_port = static_cast<uint16_t>(o.bind_port);
    tls.http.threads = o.threads;
    tls.http.max_body_bytes = 64 * 1024 * 1024;
    tls.http.server_name = "octane-agent";
    // A whole configuration or certificate upload: Octavia's agent_request_read_timeout.
    tls.http.body_timeout = std::chrono::seconds(180);
    tls.cert_file = o.server_cert;
    tls.key_file = o.server_key;
    tls.client_ca_file = o.client_ca;
    http::TlsServer server(tls, [&api](const http::HttpRequest& r) { return api.handle(r); });
    if (auto started = server.start(); !started) {
        spdlog::critical("{}", started.error().message);
        return 1;
    }
    if (auto written = write_port_file(o.state_dir + "/agent.port", server.port()); !written) {
        spdlog::critical("{}", written.error().message);
        return 1;
    }
    engines.start();
    keepalived.start_monitor();
    heartbeat.start();
    spdlog::info("amphora agent {} listening on {}:{} (engine {} {})", o.amphora_id, o.bind_host,
                 server.port(), o.engine, engine_version);
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("signal {}: stopping engines and exiting", signal);
    keepalived.stop_all();
    engines.stop_all();
    heartbeat.stop();
    server.stop();
    return 0;
}

}  // namespace octane::agent
