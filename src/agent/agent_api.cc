#include "agent/agent_api.h"

#include <spdlog/spdlog.h>

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
                   KeepalivedSupervisor& keepalived, HeartbeatSender& heartbeat)
    : options_(std::move(options)),
      engine_version_(std::move(engine_version)),
      peer_name_(wire::peer_name(options_.amphora_id)),
      engines_(engines),
      keepalived_(keepalived),
      heartbeat_(heartbeat) {
    add_routes();
}

void AgentApi::add_routes() {
    auto add = [this](const char* method, const std::string& pattern, Handler handler) {
        router_.add(method, pattern, std::move(handler));
    };
    using P = const http::Params&;
    using R = const HttpRequest&;
    add("GET", "/", [](R, P) {
        return HttpResponse{200, "application/json", {}, R"({"api_version": "1.0"})"};
    });
    const std::string v = "/1.0";
    add("GET", v + "/info", [this](R, P) { return info(); });
    add("GET", v + "/details", [this](R, P) { return details(); });
    add("GET", v + "/listeners", [this](R, P) { return list_listeners(); });
    add("DELETE", v + "/listeners/{lb_id}", [this](R, P p) { return delete_lb(p.at("lb_id")); });
    add("PUT", v + "/listeners/{amphora_id}/{listener_id}/udp_listener", [this](R r, P p) {
        return upload_lvs_config(p.at("amphora_id"), p.at("listener_id"), r.body);
    });
    add("GET", v + "/listeners/{listener_id}/udp_listener",
        [this](R, P p) { return get_lvs_config(p.at("listener_id")); });
    add("PUT", v + "/loadbalancer/{amphora_id}/{lb_id}/haproxy",
        [this](R r, P p) { return upload_config(p.at("amphora_id"), p.at("lb_id"), r.body); });
    for (const char* method : {"PUT", "GET", "DELETE"}) {
        add(method, v + "/loadbalancer/{lb_id}/certificates/{filename}", [this](R r, P p) {
            return certificate(r.method, p.at("lb_id"), p.at("filename"), r.body);
        });
    }
    add("GET", v + "/loadbalancer/{lb_id}/haproxy",
        [this](R, P p) { return get_config(p.at("lb_id")); });
    add("PUT", v + "/loadbalancer/{lb_id}/{action}",
        [this](R, P p) { return lb_action(p.at("lb_id"), p.at("action")); });
    add("GET", v + "/interface/{ip}", [this](R, P p) { return get_interface(p.at("ip")); });
    add("PUT", v + "/interface/{ip}/rules",
        [this](R r, P p) { return put_rules(p.at("ip"), r.body); });
    add("POST", v + "/plug/vip/{ip}", [this](R r, P p) { return plug_vip(p.at("ip"), r.body); });
    add("POST", v + "/plug/network", [this](R r, P) { return plug_network(r.body); });
    add("PUT", v + "/config", [this](R r, P) { return put_config(r.body); });
    add("PUT", v + "/certificate", [this](R r, P) { return put_server_certificate(r.body); });
    add("PUT", v + "/vrrp/upload", [this](R r, P) { return upload_vrrp_config(r.body); });
    add("PUT", v + "/vrrp/{action}", [this](R, P p) { return vrrp_action(p.at("action")); });
}

HttpResponse AgentApi::handle(const HttpRequest& request) {
    spdlog::debug("agent: {} {}", request.method, request.path);
    auto found = router_.find(request.method, request.path);
    switch (found.outcome) {
        case http::Router<Handler>::Outcome::kNotFound:
            return framework_error(404, "Not Found");
        case http::Router<Handler>::Outcome::kMethodNotAllowed:
            return framework_error(405, "Method Not Allowed");
        case http::Router<Handler>::Outcome::kFound:
            break;
    }
    return (*found.handler)(request, found.params);
}

}  // namespace octane::agent
