#pragma once

// The Octavia amphora agent REST API (docs/amphora.md §1) as one handler for http::TlsServer:
// routing in agent_api.cc, load balancer and certificate calls in loadbalancer_handlers.cc, host,
// interface, plug and config calls in host_handlers.cc. Handler bodies follow Octavia's agent:
// handled outcomes are {"message", "details"}, unknown routes {"error", "http_code"}.
//
// What this agent does where Octavia's would touch the host: plug vip/network answer 202 when the
// address is already local (any 127.0.0.0/8 VIP: the loopback carries it) or a NIC with the MAC
// exists, and 404 "No suitable network interface found" otherwise, configuring nothing (no netns,
// no extra NICs: the `local` network driver); interface rules are validated and stored in
// <state>/interface-rules/, not loaded into nftables. VRRP (vrrp_handlers.cc) runs keepalived in
// the engine's namespace (keepalived_supervisor.h). UDP/SCTP listeners (Octavia's keepalived LVS
// calls) are served by octane-proxy --lvs, one engine per listener.

#include <functional>
#include <mutex>
#include <string>

#include "agent/agent_options.h"
#include "agent/engine_supervisor.h"
#include "agent/heartbeat_sender.h"
#include "agent/keepalived_supervisor.h"
#include "http/http_message.h"
#include "http/router.h"

namespace octane::agent {

class AgentApi {
  public:
    AgentApi(AgentOptions options, std::string engine_version, EngineSupervisor& engines,
             KeepalivedSupervisor& keepalived, HeartbeatSender& heartbeat);

    http::HttpResponse handle(const http::HttpRequest& request);

  private:
    using Handler =
        std::function<http::HttpResponse(const http::HttpRequest&, const http::Params&)>;

    // The route table, as the add_url_rule list of Octavia's agent (agent_api.cc).
    void add_routes();
    http::HttpResponse upload_config(const std::string& amphora_id, const std::string& lb_id,
                                     const std::string& body);
    http::HttpResponse get_config(const std::string& lb_id);
    http::HttpResponse install_checked(const std::string& id, const std::string& target,
                                       std::vector<std::string> check, const std::string& body,
                                       int status);
    http::HttpResponse upload_lvs_config(const std::string& amphora_id,
                                         const std::string& listener_id, const std::string& body);
    http::HttpResponse get_lvs_config(const std::string& listener_id);
    http::HttpResponse lb_action(const std::string& lb_id, const std::string& action);
    http::HttpResponse delete_lb(const std::string& lb_id);
    http::HttpResponse certificate(const std::string& method, const std::string& lb_id,
                                   const std::string& filename, const std::string& body);
    http::HttpResponse list_listeners();

    http::HttpResponse info();
    http::HttpResponse details();
    http::HttpResponse get_interface(const std::string& ip);
    http::HttpResponse put_rules(const std::string& ip, const std::string& body);
    http::HttpResponse plug_vip(const std::string& ip, const std::string& body);
    http::HttpResponse plug_network(const std::string& body);
    http::HttpResponse put_config(const std::string& body);
    http::HttpResponse put_server_certificate(const std::string& body);

    http::HttpResponse upload_vrrp_config(const std::string& body);
    http::HttpResponse vrrp_action(const std::string& action);

    std::mutex options_mutex_;  // guards options_ against PUT /1.0/config
    AgentOptions options_;
    std::string engine_version_;
    std::string peer_name_;
    EngineSupervisor& engines_;
    KeepalivedSupervisor& keepalived_;
    HeartbeatSender& heartbeat_;
    http::Router<Handler> router_;
};

// {"message": m, "details": d} with the given status.
http::HttpResponse agent_message(int status, const std::string& message,
                                 const std::string& details = "");

}  // namespace octane::agent
