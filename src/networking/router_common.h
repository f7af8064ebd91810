#pragma once

// What the router files share (router_store.cc, router_interfaces.cc): the device owners of a
// router's ports, Neutron's BadRequest wording for routers, and the subnets of a port.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "networking/network_store.h"

namespace octane::networking {

inline constexpr const char* kGatewayOwner = "network:router_gateway";
inline constexpr const char* kInterfaceOwner = "network:router_interface";

// "Bad router request: <message>."
inline Unexpected<NetError> bad_router(const std::string& message) {
    return net_error(400, "BadRequest", "Bad router request: " + message + ".");
}

inline std::vector<std::string> subnets_of(const nlohmann::json& port) {
    std::vector<std::string> subnets;
    for (const auto& ip : port["fixed_ips"]) {
        subnets.push_back(ip["subnet_id"].get<std::string>());
    }
    return subnets;
}

}  // namespace octane::networking
