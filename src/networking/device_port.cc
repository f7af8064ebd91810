#include "networking/device_port.h"

#include "common/uuid.h"

namespace octane::networking {

std::string random_mac() {
    std::string hex;
    for (char c : make_uuid()) {
        if (c != '-') {
            hex.push_back(c);
        }
    }
    return "fa:16:3e:" + hex.substr(0, 2) + ":" + hex.substr(2, 2) + ":" + hex.substr(4, 2);
}

nlohmann::json device_port(const std::string& network_id, const std::string& device_owner,
                           const std::string& device_id, const std::string& project_id,
                           const std::string& created_at) {
    return {{"id", make_uuid()},
            {"network_id", network_id},
            {"name", ""},
            {"description", ""},
            {"project_id", project_id},
            {"tenant_id", project_id},
            {"device_owner", device_owner},
            {"device_id", device_id},
            {"admin_state_up", true},
            {"mac_address", random_mac()},
            {"fixed_ips", nlohmann::json::array()},
            {"status", device_owner == "network:floatingip" ? "N/A" : "ACTIVE"},
            {"binding:vnic_type", "normal"},
            {"port_security_enabled", true},
            {"security_groups", nlohmann::json::array()},
            {"allowed_address_pairs", nlohmann::json::array()},
            {"extra_dhcp_opts", nlohmann::json::array()},
            {"tags", nlohmann::json::array()},
            {"created_at", created_at},
            {"updated_at", created_at},
            {"revision_number", 1}};
}

}  // namespace octane::networking
