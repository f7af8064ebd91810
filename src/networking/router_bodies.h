#pragma once

// Validation of router bodies (pure): the router of a POST, external_gateway_info, and the
// bodies of add_router_interface / remove_router_interface, with Neutron's 400 wording and its
// default policy (only admins choose enable_snat or the gateway's addresses).

#include <optional>

#include <nlohmann/json.hpp>

#include "networking/neutron_bodies.h"

namespace octane::networking {

// out: the common attributes already filled (project, name, description, tags).
NetResult<CreateInput> router_input(const nlohmann::json& given, nlohmann::json out, bool admin);

// null or {} clears the gateway (nullopt). create: which policy rule a refusal names.
NetResult<std::optional<GatewayRequest>> parse_gateway_info(const nlohmann::json& given, bool admin,
                                                            bool create);

// A PUT's routes (extraroute): [{destination: CIDR, nexthop: IP}], normalised (CIDR host bits
// cleared), no duplicates. Whether each nexthop is connected is the store's check.
NetResult<nlohmann::json> parse_routes(const nlohmann::json& given);

// Neutron's rendering of a route list in its messages: [{'destination': ..., 'nexthop': ...}].
std::string routes_text(const nlohmann::json& routes);

// removal: both subnet_id and port_id are allowed (the port must be on the subnet).
NetResult<InterfaceRequest> parse_interface_request(const nlohmann::json& body, bool removal);

}  // namespace octane::networking
