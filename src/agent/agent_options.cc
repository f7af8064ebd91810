#include "agent/agent_options.h"

#include <cstdlib>

namespace octane::agent {

Result<std::chrono::milliseconds> parse_interval(const std::string& text) {
    char* end = nullptr;
    double seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || end == nullptr || *end != '\0' || !(seconds > 0) || seconds > 86400) {
        return make_error("bad interval '" + text + "' (seconds, > 0)");
    }
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000 + 0.5));
}

namespace {

Result<int> parse_port(const std::string& text) {
    char* end = nullptr;
    long port = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || port < 0 || port > 65535) {
        return make_error("bad port '" + text + "'");
    }
    return static_cast<int>(port);
}

}  // namespace

Result<void> apply_agent_ini(const IniFile& ini, AgentOptions& o) {
    auto set = [&](const char* section, const char* key, std::string& target) {
        if (auto value = ini.get(section, key)) {
            target = *value;
        }
    };
    set("amphora_agent", "agent_server_cert", o.server_cert);
    set("amphora_agent", "agent_server_ca", o.client_ca);
    set("haproxy_amphora", "bind_host", o.bind_host);
    set("haproxy_amphora", "base_path", o.state_dir);
    set("haproxy_amphora", "base_cert_dir", o.cert_dir);
    set("haproxy_amphora", "haproxy_cmd", o.engine);
    set("health_manager", "heartbeat_key", o.heartbeat_key);
    set("controller_worker", "amphora_id", o.amphora_id);
    if (auto port = ini.get("haproxy_amphora", "bind_port")) {
        auto parsed = parse_port(*port);
        if (!parsed) {
            return Unexpected(parsed.error());
        }
        o.bind_port = *parsed;
    }
    if (auto list = ini.get("health_manager", "controller_ip_port_list")) {
        auto parsed = parse_endpoint_list(*list);
        if (!parsed) {
            return Unexpected(parsed.error());
        }
        o.controllers = *parsed;
    }
    if (auto interval = ini.get("health_manager", "heartbeat_interval")) {
        auto parsed = parse_interval(*interval);
        if (!parsed) {
            return Unexpected(parsed.error());
        }
        o.heartbeat_interval = *parsed;
    }
    return {};
}

Result<AgentOptions> resolve_agent_options(const AgentFlags& f) {
    AgentOptions o;
    o.config_file = f.config_file;
    if (!f.config_file.empty()) {
        auto ini = IniFile::load(f.config_file);
        if (!ini) {
            return Unexpected(ini.error());
        }
        if (auto applied = apply_agent_ini(*ini, o); !applied) {
            return Unexpected(applied.error());
        }
    }
    auto take = [](const std::string& flag, std::string& target) {
        if (!flag.empty()) {
            target = flag;
        }
    };
    take(f.amphora_id, o.amphora_id);
    take(f.state_dir, o.state_dir);
    take(f.bind_host, o.bind_host);
    take(f.server_cert, o.server_cert);
    take(f.server_key, o.server_key);
    take(f.client_ca, o.client_ca);
    take(f.engine, o.engine);
    take(f.engine_netns, o.engine_netns);
    take(f.heartbeat_key, o.heartbeat_key);
    take(f.log_file, o.log_file);
    o.debug = f.debug;
    if (!f.bind_port.empty()) {
        auto port = parse_port(f.bind_port);
        if (!port) {
            return Unexpected(port.error());
        }
        o.bind_port = *port;
    }
    if (!f.heartbeat_interval.empty()) {
        auto interval = parse_interval(f.heartbeat_interval);
        if (!interval) {
            return Unexpected(interval.error());
        }
        o.heartbeat_interval = *interval;
    }
    if (!f.controllers.empty()) {
        o.controllers.clear();
        for (const auto& text : f.controllers) {
            auto list = parse_endpoint_list(text);
            if (!list) {
                return Unexpected(list.error());
            }
            o.controllers.insert(o.controllers.end(), list->begin(), list->end());
        }
    }
    if (o.cert_dir.empty()) {
        o.cert_dir = o.state_dir + "/certs";
    }
    if (o.amphora_id.empty() || !is_safe_id(o.amphora_id)) {
        return make_error(
            "an amphora id ([controller_worker] amphora_id or --amphora-id) of "
            "[A-Za-z0-9_-] is required");
    }
    if (o.server_cert.empty() || o.client_ca.empty()) {
        return make_error(
            "the server certificate (--server-cert) and the client CA "
            "(--client-ca) are required: the agent only speaks mutual TLS");
    }
    if (!o.controllers.empty() && o.heartbeat_key.empty()) {
        return make_error("a heartbeat key is required to send heartbeats");
    }
    return o;
}

}  // namespace octane::agent
