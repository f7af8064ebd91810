#include "render/input_parse.h"

#include <cmath>
#include <string>
#include <vector>

#include "render/json_fields.h"

namespace octane::render {
namespace {

using json = nlohmann::json;
using namespace json_fields;

// Walks the graph once; fields the renderer cannot do without are collected by name so one error
// lists them all.
class GraphParser {
  public:
    LoadBalancerInput parse(const json& j) { return parse_lb(j); }
    const std::vector<std::string>& missing() const { return missing_; }

  private:
    std::string required_str(const json& j, const char* key, const char* object) {
        if (!has(j, key)) {
            missing_.push_back(std::string(object) + "." + key);
            return "";
        }
        return j.at(key).get<std::string>();
    }

    // HM http_version is a JSON number (1.0 / 1.1) in the API; a string is tolerated.
    std::string http_version(const json& j) {
        if (!has(j, "http_version")) {
            return "";
        }
        const json& v = j.at("http_version");
        if (v.is_string()) {
            return v.get<std::string>();
        }
        double d = v.get<double>();
        if (std::fabs(d - 1.0) < 1e-9) {
            return "1.0";
        }
        if (std::fabs(d - 1.1) < 1e-9) {
            return "1.1";
        }
        missing_.push_back("healthmonitor.http_version (1.0 or 1.1)");
        return "";
    }

    MemberInput parse_member(const json& j) {
        MemberInput m;
        m.id = required_str(j, "id", "member");
        m.address = required_str(j, "address", "member");
        m.protocol_port = static_cast<int>(num(j, "protocol_port", 0));
        m.weight = static_cast<int>(num(j, "weight", 1));
        m.backup = flag(j, "backup", false);
        m.admin_state_up = flag(j, "admin_state_up", true);
        m.monitor_address = str(j, "monitor_address");
        m.monitor_port = static_cast<int>(num(j, "monitor_port", 0));
        m.provisioning_status = str(j, "provisioning_status", "ACTIVE");
        return m;
    }

    HealthMonitorInput parse_health_monitor(const json& j) {
        HealthMonitorInput h;
        h.id = str(j, "id");
        h.type = required_str(j, "type", "healthmonitor");
        h.delay = static_cast<int>(num(j, "delay", 0));
        h.timeout = static_cast<int>(num(j, "timeout", 0));
        h.max_retries = static_cast<int>(num(j, "max_retries", 0));
        h.max_retries_down = static_cast<int>(num(j, "max_retries_down", 3));
        bool http = h.type == "HTTP" || h.type == "HTTPS";
        h.http_method = str(j, "http_method", http ? "GET" : "");
        h.url_path = str(j, "url_path", http ? "/" : "");
        h.expected_codes = str(j, "expected_codes", http ? "200" : "");
        h.http_version = http_version(j);
        h.domain_name = str(j, "domain_name");
        h.admin_state_up = flag(j, "admin_state_up", true);
        h.provisioning_status = str(j, "provisioning_status", "ACTIVE");
        return h;
    }

    PoolInput parse_pool(const json& j) {
        PoolInput p;
        p.id = required_str(j, "id", "pool");
        p.protocol = required_str(j, "protocol", "pool");
        p.lb_algorithm = str(j, "lb_algorithm", "ROUND_ROBIN");
        p.admin_state_up = flag(j, "admin_state_up", true);
        p.provisioning_status = str(j, "provisioning_status", "ACTIVE");
        if (has(j, "session_persistence")) {
            const json& sp = j.at("session_persistence");
            p.session_persistence = SessionPersistenceInput{
                required_str(sp, "type", "session_persistence"), str(sp, "cookie_name"),
                static_cast<int>(num(sp, "persistence_timeout", 0)),
                str(sp, "persistence_granularity")};
        }
        p.tls_enabled = flag(j, "tls_enabled", false);
        p.tls_container_ref = str(j, "tls_container_ref");
        p.ca_tls_container_ref = str(j, "ca_tls_container_ref");
        p.crl_container_ref = str(j, "crl_container_ref");
        p.tls_ciphers = opt_str(j, "tls_ciphers");
        p.tls_versions = opt_list(j, "tls_versions");
        p.alpn_protocols = opt_list(j, "alpn_protocols");
        if (has(j, "healthmonitor")) {
            p.healthmonitor = parse_health_monitor(j.at("healthmonitor"));
        }
        for (const json& m : array(j, "members")) {
            p.members.push_back(parse_member(m));
        }
        return p;
    }

    L7RuleInput parse_rule(const json& j) {
        L7RuleInput r;
        r.id = required_str(j, "id", "l7rule");
        r.type = required_str(j, "type", "l7rule");
        r.compare_type = required_str(j, "compare_type", "l7rule");
        r.key = str(j, "key");
        r.value = str(j, "value");
        r.invert = flag(j, "invert", false);
        r.admin_state_up = flag(j, "admin_state_up", true);
        r.provisioning_status = str(j, "provisioning_status", "ACTIVE");
        return r;
    }

    L7PolicyInput parse_policy(const json& j) {
        L7PolicyInput p;
        p.id = required_str(j, "id", "l7policy");
        p.action = required_str(j, "action", "l7policy");
        p.position = num(j, "position", 2147483647);
        p.redirect_pool_id = str(j, "redirect_pool_id");
        p.redirect_url = str(j, "redirect_url");
        p.redirect_prefix = str(j, "redirect_prefix");
        p.redirect_http_code = static_cast<int>(num(j, "redirect_http_code", 0));
        p.admin_state_up = flag(j, "admin_state_up", true);
        p.provisioning_status = str(j, "provisioning_status", "ACTIVE");
        for (const json& r : array(j, "rules")) {
            p.rules.push_back(parse_rule(r));
        }
        return p;
    }

    void parse_listener_tls(const json& j, ListenerInput& l) {
        l.default_tls_container_ref = str(j, "default_tls_container_ref");
        l.client_ca_tls_container_ref = str(j, "client_ca_tls_container_ref");
        l.client_authentication = str(j, "client_authentication", "NONE");
        l.client_crl_container_ref = str(j, "client_crl_container_ref");
        l.tls_ciphers = opt_str(j, "tls_ciphers");
        l.tls_versions = opt_list(j, "tls_versions");
        l.alpn_protocols = opt_list(j, "alpn_protocols");
        if (has(j, "hsts_max_age")) {
            l.hsts_max_age = j.at("hsts_max_age").get<long long>();
        }
        l.hsts_include_subdomains = flag(j, "hsts_include_subdomains", false);
        l.hsts_preload = flag(j, "hsts_preload", false);
    }

    ListenerInput parse_listener(const json& j) {
        ListenerInput l;
        l.id = required_str(j, "id", "listener");
        l.protocol = required_str(j, "protocol", "listener");
        l.protocol_port = static_cast<int>(num(j, "protocol_port", 0));
        l.connection_limit = num(j, "connection_limit", -1);
        l.admin_state_up = flag(j, "admin_state_up", true);
        l.provisioning_status = str(j, "provisioning_status", "ACTIVE");
        l.timeout_client_data = num(j, "timeout_client_data", 50000);
        l.timeout_member_connect = num(j, "timeout_member_connect", 5000);
        l.timeout_member_data = num(j, "timeout_member_data", 50000);
        l.timeout_tcp_inspect = num(j, "timeout_tcp_inspect", 0);
        if (has(j, "insert_headers")) {
            l.insert_headers = j.at("insert_headers").get<std::map<std::string, std::string>>();
        }
        l.default_pool_id = str(j, "default_pool_id");
        parse_listener_tls(j, l);
        for (const json& p : array(j, "l7policies")) {
            l.l7policies.push_back(parse_policy(p));
        }
        return l;
    }

    LoadBalancerInput parse_lb(const json& j) {
        LoadBalancerInput lb;
        lb.id = required_str(j, "id", "loadbalancer");
        lb.project_id = str(j, "project_id");
        lb.admin_state_up = flag(j, "admin_state_up", true);
        lb.provisioning_status = str(j, "provisioning_status", "ACTIVE");
        lb.vip_address = required_str(j, "vip_address", "loadbalancer");
        for (const json& v : array(j, "additional_vips")) {
            lb.additional_vips.push_back(required_str(v, "ip_address", "additional_vips[]"));
        }
        for (const json& l : array(j, "listeners")) {
            lb.listeners.push_back(parse_listener(l));
        }
        for (const json& p : array(j, "pools")) {
            lb.pools.push_back(parse_pool(p));
        }
        return lb;
    }

    std::vector<std::string> missing_;
};

}  // namespace

Result<LoadBalancerInput> parse_load_balancer(const nlohmann::json& graph) {
    try {
        if (!graph.is_object()) {
            return make_error("load balancer graph is not a JSON object");
        }
        GraphParser parser;
        LoadBalancerInput lb = parser.parse(graph);
        if (!parser.missing().empty()) {
            std::string names;
            for (const std::string& name : parser.missing()) {
                names += (names.empty() ? "" : ", ") + name;
            }
            return make_error("load balancer graph: missing or invalid " + names);
        }
        return lb;
    } catch (const nlohmann::json::exception& e) {
        return make_error(std::string("load balancer graph: ") + e.what());
    }
}

}  // namespace octane::render
