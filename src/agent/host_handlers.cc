// The host calls of the agent API: info, details, interface lookup and rules, plug vip/network,
// agent config and server certificate replacement.

#include <filesystem>

#include <spdlog/spdlog.h>

#include "agent/agent_api.h"
#include "agent/engine_config.h"
#include "agent/file_util.h"
#include "agent/host_info.h"
#include "agent/interface_firewall.h"
#include "agent/request_validation.h"
#include "common/ini_file.h"

namespace octane::agent {
namespace {

namespace fs = std::filesystem;
using http::HttpResponse;

HttpResponse json_response(int status, const nlohmann::json& body) {
    return HttpResponse{status, "application/json", {}, body.dump()};
}

bool is_loopback(const std::string& ip) {
    return ip == "::1" || ip.rfind("127.", 0) == 0;
}

}  // namespace

HttpResponse AgentApi::info() {
    wire::AgentInfo out{host_name(), engine_version_, "1.0"};
    return json_response(200, wire::to_json(out));
}

HttpResponse AgentApi::details() {
    std::vector<std::string> listeners;
    int count = 0;
    for (const auto& engine : engines_.running()) {
        if (!engine.lvs_stats_socket.empty()) {
            listeners.push_back(engine.lb_id);  // a UDP/SCTP listener: not a haproxy process
            continue;
        }
        ++count;
        auto text = read_file(engine.config_path);
        if (text) {
            for (const auto& frontend : summarize_engine_config(*text).frontends) {
                listeners.push_back(frontend.name);
            }
        }
    }
    auto details = host_details(engine_version_, count, listeners, options_.state_dir);
    if (!details) {
        return agent_message(500, "Error reading host details", details.error().message);
    }
    // As Octavia's agent: an uploaded keepalived configuration makes the amphora one of a pair.
    (*details)["topology"] = keepalived_.configured() ? "ACTIVE_STANDBY" : "SINGLE";
    return json_response(200, *details);
}

HttpResponse AgentApi::get_interface(const std::string& ip) {
    if (!is_ip_address(ip)) {
        return agent_message(400, "Invalid IP address", ip);
    }
    auto name = interface_with_address(ip);
    if (!name) {
        return agent_message(404, "Error interface not found for IP address", ip);
    }
    return json_response(200, {{"message", "OK"}, {"interface", *name}});
}

HttpResponse AgentApi::put_rules(const std::string& ip, const std::string& body) {
    if (!is_ip_address(ip)) {
        return agent_message(400, "Invalid IP address", ip);
    }
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        return agent_message(400, "Invalid request", "body is not JSON");
    }
    auto rules = validate_interface_rules(parsed);
    if (!rules) {
        return agent_message(400, "Invalid request", rules.error().message);
    }
    auto enforced = enforce_interface_rules(options_.engine_netns, ip, *rules);
    if (enforced.status != 200) {
        return agent_message(enforced.status, enforced.message, enforced.details);
    }
    std::string name = ip;
    std::replace(name.begin(), name.end(), ':', '_');
    std::string dir = options_.state_dir + "/interface-rules";
    std::error_code ec;
    fs::create_directories(dir, ec);
    nlohmann::json stored = nlohmann::json::array();
    for (const auto& rule : *rules) {
        stored.push_back(wire::to_json(rule));
    }
    if (auto written = write_file_atomic(dir + "/" + name + ".json", stored.dump(), 0644);
        !written) {
        return agent_message(500, "Error writing rules", written.error().message);
    }
    return agent_message(200, "OK");
}

HttpResponse AgentApi::plug_vip(const std::string& ip, const std::string& body) {
    if (!is_ip_address(ip)) {
        return agent_message(400, "Invalid VIP", ip);
    }
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    auto request = parsed.is_discarded() ? Result<wire::PlugVipRequest>(make_error("not JSON"))
                                         : wire::plug_vip_from_json(parsed);
    if (!request) {
        return agent_message(400, "Invalid request", request.error().message);
    }
    std::optional<std::string> name =
        is_loopback(ip) ? std::optional<std::string>("lo") : interface_with_address(ip);
    if (!name) {
        name = interface_with_mac(request->mac_address);
    }
    if (!name) {
        return agent_message(404, "Error plugging VIP", "No suitable network interface found");
    }
    return agent_message(202, "OK", "VIP " + ip + " plugged on interface " + *name);
}

HttpResponse AgentApi::plug_network(const std::string& body) {
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("mac_address") ||
        !parsed["mac_address"].is_string()) {
        return agent_message(400, "Invalid request", "mac_address is required");
    }
    auto name = interface_with_mac(parsed["mac_address"].get<std::string>());
    if (!name) {
        return agent_message(404, "Error plugging network", "No suitable network interface found");
    }
    return agent_message(202, "OK", "Plugged on interface " + *name);
}

HttpResponse AgentApi::put_config(const std::string& body) {
    auto ini = IniFile::parse(body, "amphora-agent.conf");
    if (!ini) {
        return agent_message(400, "Invalid request", ini.error().message);
    }
    std::lock_guard lock(options_mutex_);
    AgentOptions updated = options_;
    if (auto applied = apply_agent_ini(*ini, updated); !applied) {
        return agent_message(400, "Invalid request", applied.error().message);
    }
    std::string path = options_.config_file.empty() ? options_.state_dir + "/amphora-agent.conf"
                                                    : options_.config_file;
    if (auto written = write_file_atomic(path, body, 0600); !written) {
        return agent_message(500, "Error writing configuration", written.error().message);
    }
    // Live: heartbeat destinations, key and interval. The rest applies at the next start.
    options_.controllers = updated.controllers;
    options_.heartbeat_key = updated.heartbeat_key;
    options_.heartbeat_interval = updated.heartbeat_interval;
    heartbeat_.update({options_.controllers, options_.heartbeat_key, options_.heartbeat_interval});
    return agent_message(202, "OK");
}

HttpResponse AgentApi::put_server_certificate(const std::string& body) {
    if (body.find("BEGIN CERTIFICATE") == std::string::npos ||
        body.find("PRIVATE KEY") == std::string::npos) {
        return agent_message(400, "Invalid request", "expected a PEM certificate and its key");
    }
    if (auto written = write_file_atomic(options_.server_cert, body, 0600); !written) {
        return agent_message(500, "Error writing certificate", written.error().message);
    }
    return agent_message(202, "OK");
}

}  // namespace octane::agent
