#pragma once

// The labels an API request is counted under. Both are drawn from small fixed sets, so a client
// sending odd paths or methods cannot grow the number of time series (each costs memory forever).

#include <string>
#include <string_view>

namespace octane::metrics {

// "load-balancer" (/v2, /v2.0), "identity" (/identity, /v3), "networking", "key-manager",
// "versions" (/), or "other".
std::string_view surface_of(std::string_view path);

// GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, else "OTHER".
std::string_view method_label(std::string_view method);

// The provisioning state a worker flow started from as a flow name: PENDING_CREATE -> "create",
// PENDING_UPDATE -> "update", PENDING_DELETE -> "delete", anything else -> "other".
std::string_view flow_label(std::string_view provisioning_status);

}  // namespace octane::metrics
