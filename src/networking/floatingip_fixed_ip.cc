#include "networking/floatingip_fixed_ip.h"

#include <vector>

#include "networking/cidr.h"

namespace octane::networking {
namespace {

Unexpected<NetError> bad_floatingip(const std::string& message) {
    return net_error(400, "BadRequest", "Bad floatingip request: " + message + ".");
}

}  // namespace

NetResult<ChosenFixedIp> fixed_ip_for_floatingip(const nlohmann::json& port,
                                                 const std::optional<std::string>& fixed_ip) {
    const std::string port_id = port["id"].get<std::string>();
    std::vector<ChosenFixedIp> ipv4;
    for (const auto& ip : port.value("fixed_ips", nlohmann::json::array())) {
        ChosenFixedIp candidate{ip["subnet_id"].get<std::string>(),
                                ip["ip_address"].get<std::string>()};
        auto parsed = parse_ip(candidate.ip_address);
        if (parsed && parsed->version == 4) {
            ipv4.push_back(candidate);
        }
    }
    if (fixed_ip) {
        auto parsed = parse_ip(*fixed_ip);
        if (!parsed || parsed->version != 4) {
            return bad_floatingip("Cannot create floating IP and bind it to IP address " +
                                  *fixed_ip + ", since that is not an IPv4 address");
        }
        for (const auto& candidate : ipv4) {
            if (parse_ip(candidate.ip_address) == parsed) {
                return candidate;
            }
        }
        return bad_floatingip("Port " + port_id + " does not have fixed ip " + *fixed_ip);
    }
    if (ipv4.empty()) {
        return bad_floatingip("Cannot add floating IP to port " + port_id +
                              " that has no fixed IPv4 addresses");
    }
    if (ipv4.size() > 1) {
        return bad_floatingip("Port " + port_id +
                              " has multiple fixed IPv4 addresses.  Must provide a specific IPv4"
                              " address when assigning a floating IP");
    }
    return ipv4.front();
}

}  // namespace octane::networking
