#include "linuxbridge/port_plug.h"

#include "linuxbridge/names.h"

namespace octane::linuxbridge {
namespace {

using nlohmann::json;

std::string host_prefix(const std::string& address) {
    return address.find(':') == std::string::npos ? "/32" : "/128";
}

}  // namespace

std::string string_field(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string address_on_subnet(const std::string& address, const std::string& subnet_cidr) {
    auto slash = subnet_cidr.find('/');
    if (slash == std::string::npos) {
        return address + host_prefix(address);
    }
    return address + subnet_cidr.substr(slash);
}

std::optional<PortPlug> plug_of(const json& port, const std::map<std::string, json>& subnets) {
    PortPlug plug;
    plug.port_id = string_field(port, "id");
    plug.network_id = string_field(port, "network_id");
    plug.mac = string_field(port, "mac_address");
    plug.host_device = tap_name(plug.port_id);
    const std::string owner = string_field(port, "device_owner");
    const std::string device_id = string_field(port, "device_id");
    json profile = port.value("binding:profile", json::object());
    if (!profile.is_object()) {
        profile = json::object();
    }
    bool wants_default_route = false;
    if (owner == "network:router_interface" || owner == "network:router_gateway") {
        if (device_id.empty()) {
            return std::nullopt;
        }
        plug.router_port = true;
        plug.netns = router_namespace(device_id);
        plug.device = owner == "network:router_gateway" ? router_gateway_name(plug.port_id)
                                                        : router_interface_name(plug.port_id);
        wants_default_route = owner == "network:router_gateway";
    } else if (owner == "Octavia:health-mgr") {
        plug.netns = "";
        plug.device = kControllerDevice;
        plug.host_device = kControllerPeer;
    } else if (owner == kRootProviderOwner) {
        plug.netns = "";
        plug.device = kRootProviderDevice;
        plug.host_device = kRootProviderPeer;
    } else if (profile.contains("netns") && profile["netns"].is_string()) {
        plug.netns = profile["netns"].get<std::string>();
        plug.device = profile.value("device", std::string("eth0"));
        wants_default_route = profile.value("default_route", false);
        for (const auto& vip : profile.value("vip_addresses", json::array())) {
            if (vip.is_string()) {
                plug.vip_addresses.push_back(vip.get<std::string>() +
                                             host_prefix(vip.get<std::string>()));
            }
        }
        if (plug.netns.empty()) {
            return std::nullopt;
        }
    } else {
        return std::nullopt;
    }
    std::string host_text = string_field(port, "binding:host_id");
    if (host_text.rfind("host-", 0) == 0) {
        try {
            plug.host = std::stoi(host_text.substr(5));
        } catch (const std::exception&) {
            plug.host = kNetworkNodeHost;
        }
    }
    for (const auto& ip : port.value("fixed_ips", json::array())) {
        std::string address = string_field(ip, "ip_address");
        auto subnet = subnets.find(string_field(ip, "subnet_id"));
        if (address.empty() || subnet == subnets.end()) {
            continue;
        }
        plug.addresses.push_back(address_on_subnet(address, string_field(subnet->second, "cidr")));
        std::string gateway = string_field(subnet->second, "gateway_ip");
        if (wants_default_route && plug.default_gateway.empty() && !gateway.empty() &&
            address.find(':') == std::string::npos) {
            plug.default_gateway = gateway;
        }
    }
    return plug;
}

}  // namespace octane::linuxbridge
