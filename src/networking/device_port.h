#pragma once

// Ports Neutron makes for its own devices (a router's gateway and interfaces, a floating IP's
// address holder): the complete port representation, fixed_ips left for the caller to fill.

#include <string>

#include <nlohmann/json.hpp>

namespace octane::networking {

// A locally administered "fa:16:3e:xx:xx:xx" address, the prefix Neutron uses.
std::string random_mac();

// project_id "" for ports no project owns (gateway and floating IP ports, as Neutron);
// created_at: the timestamp of creation.
nlohmann::json device_port(const std::string& network_id, const std::string& device_owner,
                           const std::string& device_id, const std::string& project_id,
                           const std::string& created_at);

}  // namespace octane::networking
