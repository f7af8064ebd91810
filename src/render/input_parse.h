#pragma once

// JSON (Octavia v2 API object shapes) -> LoadBalancerInput. The one place where nlohmann exceptions
// of the renderer are caught and turned into errors.

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "render/input_model.h"

namespace octane::render {

// Accepts {"id","project_id","admin_state_up","provisioning_status","vip_address",
// "additional_vips":[{"ip_address"}],"listeners":[...],"pools":[...]} (see input_model.h for every
// field). Missing or null optional fields take Octavia's API defaults. Fails on a missing id,
// protocol, port or address, on wrong JSON types, and on an unknown http_version.
Result<LoadBalancerInput> parse_load_balancer(const nlohmann::json& graph);

}  // namespace octane::render
