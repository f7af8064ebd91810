#include "agent/agent_api.h"

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "wire/peer_name.h"

namespace octane::agent {
namespace {

using http::HttpRequest;
using http::HttpResponse;

HttpResponse framework_error(int status, const std::string& text) {
    nlohmann::json body = {{"error", text}, {"http_code", status}};
    return HttpResponse{status, "application/json", {}, body.dump()};
}

}  // namespace

HttpResponse agent_message(int status, const std::string& message, const std::string& details) {
    nlohmann::json body = {{"message", message}};
    if (!details.empty()) {
        body["details"] = details;
    }
    return HttpResponse{status, "application/json", {}, body.dump()};
}

AgentApi::AgentApi(AgentOptions options, std::string engine_version, EngineSupervisor& engines,
                   HeartbeatSender& heartbeat)
    : options_(std::move(options)),
      engine_version_(std::move(engine_version)),
      peer_name_(wire::peer_name(options_.amphora_id)),
      engines_(engines),
      heartbeat_(heartbeat) {}

HttpResponse AgentApi::handle(const HttpRequest& request) {
    Segments s;
    for (auto& part : split(request.path, '/')) {
        if (!part.empty()) {
            s.push_back(std::move(part));
        }
    }
    const std::string& m = request.method;
    spdlog::debug("agent: {} {}", m, request.path);
    if (s.empty()) {
        if (m == "GET") {
            return HttpResponse{200, "application/json", {}, R"({"api_version": "1.0"})"};
        }
        return framework_error(405, "Method Not Allowed");
    }
    if (s[0] != "1.0" || s.size() < 2) {
        return framework_error(404, "Not Found");
    }
    const std::string& area = s[1];
    size_t n = s.size();
    if (area == "info" && n == 2 && m == "GET") {
        return info();
    }
    if (area == "details" && n == 2 && m == "GET") {
        return details();
    }
    if (area == "listeners" && n == 2 && m == "GET") {
        return list_listeners();
    }
    if (area == "listeners" && n == 3 && m == "DELETE") {
        return delete_lb(s[2]);
    }
    // /1.0/listeners/{amphora_id}/{listener_id}/udp_listener
    if (area == "listeners" && n == 5 && s[4] == "udp_listener" && m == "PUT") {
        return upload_lvs_config(s[2], s[3], request.body);
    }
    // /1.0/listeners/{listener_id}/udp_listener
    if (area == "listeners" && n == 4 && s[3] == "udp_listener" && m == "GET") {
        return get_lvs_config(s[2]);
    }
    if (area == "loadbalancer") {
        return route_loadbalancer(request, s);
    }
    if (area == "interface" && n == 3 && m == "GET") {
        return get_interface(s[2]);
    }
    if (area == "interface" && n == 4 && s[3] == "rules" && m == "PUT") {
        return put_rules(s[2], request.body);
    }
    if (area == "plug" && n == 4 && s[2] == "vip" && m == "POST") {
        return plug_vip(s[3], request.body);
    }
    if (area == "plug" && n == 3 && s[2] == "network" && m == "POST") {
        return plug_network(request.body);
    }
    if (area == "config" && n == 2 && m == "PUT") {
        return put_config(request.body);
    }
    if (area == "certificate" && n == 2 && m == "PUT") {
        return put_server_certificate(request.body);
    }
    if (area == "vrrp") {
        return agent_message(400, "Invalid request",
                             "ACTIVE_STANDBY (keepalived VRRP) is not supported by this agent");
    }
    return framework_error(404, "Not Found");
}

HttpResponse AgentApi::route_loadbalancer(const HttpRequest& request, const Segments& s) {
    const std::string& m = request.method;
    size_t n = s.size();
    // /1.0/loadbalancer/{amphora_id}/{lb_id}/haproxy
    if (n == 5 && s[4] == "haproxy" && m == "PUT") {
        return upload_config(s[2], s[3], request.body);
    }
    // /1.0/loadbalancer/{lb_id}/certificates/{filename}
    if (n == 5 && s[3] == "certificates" && (m == "PUT" || m == "GET" || m == "DELETE")) {
        return certificate(m, s[2], s[4], request.body);
    }
    // /1.0/loadbalancer/{lb_id}/haproxy
    if (n == 4 && s[3] == "haproxy" && m == "GET") {
        return get_config(s[2]);
    }
    // /1.0/loadbalancer/{lb_id}/{action}
    if (n == 4 && m == "PUT") {
        return lb_action(s[2], s[3]);
    }
    return framework_error(n >= 4 ? 405 : 404, n >= 4 ? "Method Not Allowed" : "Not Found");
}

}  // namespace octane::agent
