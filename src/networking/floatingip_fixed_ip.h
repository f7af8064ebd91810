#pragma once

// Which fixed IP of a port a floating IP maps to, with Neutron's refusals (pure): the address
// asked for must be an IPv4 address of the port; without one the port must have exactly one.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "networking/network_store.h"

namespace octane::networking {

struct ChosenFixedIp {
    std::string subnet_id;
    std::string ip_address;
};

NetResult<ChosenFixedIp> fixed_ip_for_floatingip(const nlohmann::json& port,
                                                 const std::optional<std::string>& fixed_ip);

}  // namespace octane::networking
