#pragma once

// The UDP/SCTP half of an amphora update, as Octavia's amphora driver does it for keepalived LVS
// (docs/amphora.md §5): for every UDP/SCTP listener of the load balancer (not PENDING_DELETE),
// `PUT /1.0/listeners/{amphora_id}/{listener_id}/udp_listener` with the rendered LVS file, then
// `PUT /1.0/loadbalancer/{listener_id}/reload`; UDP/SCTP listeners the agent still lists
// (`GET /1.0/listeners`) but the load balancer no longer has are removed with
// `DELETE /1.0/listeners/{listener_id}`.

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "http/https_client.h"

namespace octane::drivers {

// One agent call: (method, target, body) -> response.
using AgentCall = std::function<Result<http::HttpsResponse>(
    const std::string& method, const std::string& target, const std::string& body)>;

Result<void> apply_lvs_listeners(const nlohmann::json& load_balancer, const std::string& amphora_id,
                                 const AgentCall& call);

// Whether the load balancer has a listener the haproxy.cfg engine serves (not UDP/SCTP).
bool has_haproxy_listener(const nlohmann::json& load_balancer);

}  // namespace octane::drivers
