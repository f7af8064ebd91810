#pragma once

// A load balancer created on an existing port (vip_port_id): which of the port's fixed IPs is the
// VIP, as Octavia's _validate_port_and_fill_or_validate_subnet decides. Pure: the port is a
// Neutron port body, the failures are Octavia's 400 "Validation failure: ..." texts.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::networking {

struct VipFixedIp {
    std::string subnet_id;
    std::string ip_address;
};

// Refuses a port some device already uses (device_id set: another load balancer's VIP, a
// floating IP, a server): Octavia's check_port_in_use.
Result<void> check_port_unused(const nlohmann::json& port);

// With subnet_id, the first fixed IP on that subnet; else with address, the fixed IP equal to it
// (compared as addresses, so "fd00::1" matches "fd00:0::1"); else the only fixed IP. The Error
// message is the full faultstring.
Result<VipFixedIp> choose_vip_fixed_ip(const nlohmann::json& port,
                                       const std::optional<std::string>& subnet_id,
                                       const std::optional<std::string>& address);

}  // namespace octane::networking
