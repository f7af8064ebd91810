#include "networking/vip_port.h"

#include <vector>

#include "networking/cidr.h"

namespace octane::networking {
namespace {

Unexpected<Error> validation_failure(const std::string& detail) {
    return make_error("Validation failure: " + detail, 400);
}

bool same_address(const std::string& a, const std::string& b) {
    auto x = parse_ip(a);
    auto y = parse_ip(b);
    return x && y ? *x == *y : a == b;
}

}  // namespace

Result<void> check_port_unused(const nlohmann::json& port) {
    std::string device = port.value("device_id", "");
    if (!device.empty()) {
        // Octavia's text, trailing space included.
        return validation_failure("Port " + port.value("id", "") + " is already used by device " +
                                  device + " ");
    }
    return {};
}

Result<VipFixedIp> choose_vip_fixed_ip(const nlohmann::json& port,
                                       const std::optional<std::string>& subnet_id,
                                       const std::optional<std::string>& address) {
    std::vector<VipFixedIp> ips;
    for (const auto& ip : port.value("fixed_ips", nlohmann::json::array())) {
        ips.push_back({ip.value("subnet_id", ""), ip.value("ip_address", "")});
    }
    if (subnet_id) {
        for (const auto& ip : ips) {
            if (ip.subnet_id == *subnet_id) {
                return ip;
            }
        }
        return validation_failure(
            "No VIP address found on the specified VIP port within the specified subnet.");
    }
    if (address) {
        for (const auto& ip : ips) {
            if (same_address(ip.ip_address, *address)) {
                return ip;
            }
        }
        return validation_failure("Specified VIP address not found on the specified VIP port.");
    }
    if (ips.size() == 1) {
        return ips.front();
    }
    return validation_failure(
        "VIP port's subnet could not be determined. Please specify either a VIP subnet or "
        "address.");
}

}  // namespace octane::networking
