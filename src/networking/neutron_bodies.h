#pragma once

// Validation of Neutron POST/PUT bodies (the resource object inside {"network": {...}} etc.)
// into the attributes to store, with Neutron's 400 wording. Pure except for the clock-free data.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "networking/network_store.h"

namespace octane::networking {

struct CreateInput {
    nlohmann::json attrs;                   // complete stored representation minus ids/timestamps
    std::vector<FixedIpRequest> fixed_ips;  // ports only
    std::optional<GatewayRequest> gateway;  // routers only
};

// project: the caller's project, used when the body does not name one (admin may name any).
NetResult<CreateInput> validate_create(NetKind kind, const nlohmann::json& given,
                                       const std::string& project, bool admin);
NetResult<nlohmann::json> validate_update(NetKind kind, const nlohmann::json& given, bool admin);

// {"NeutronError": {"type", "message", "detail"}}
nlohmann::json neutron_error_body(const NetError& error);

}  // namespace octane::networking
