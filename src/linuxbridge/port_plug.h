#pragma once

// Where and how a Neutron port is plugged, derived from the port alone (and its subnets): the
// linuxbridge agent's job, decided purely. A port is plugged when something "runs" behind it:
//  - router ports (device_owner network:router_interface / network:router_gateway) become qr-/qg-
//    devices in the router's namespace on the network node (host 1);
//  - the controller's port (device_owner Octavia:health-mgr) becomes o-hm0 in the root namespace,
//    the operator's port on provider (attach_root_to_provider) o-ex0 there;
//  - any other port whose binding:profile names a namespace ("netns", "device"): an amphora's
//    management or VRRP port, an instance made by `octane host create`.
// Every plugged port is a veth pair: tap<11> (or o-bhm0) on the network's bridge in the host's
// namespace, the named device with the port's MAC in the target namespace.
// Other ports (a VIP port, which Octavia leaves unplugged; a bare `openstack port create`) are not.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace octane::linuxbridge {

inline constexpr int kNetworkNodeHost = 1;
inline constexpr int kVxlanMtu = 1450;  // 1500 underlay - 50 bytes of VXLAN over IPv4
inline constexpr int kFlatMtu = 1500;

struct PortPlug {
    std::string port_id;
    std::string network_id;
    int host = kNetworkNodeHost;
    std::string netns;        // "" = the root namespace
    std::string device;       // name inside netns
    std::string host_device;  // the bridge side in the host namespace
    std::string mac;
    std::vector<std::string> addresses;  // "ip/prefix" of each fixed IP
    std::string default_gateway;         // default route via it (onlink), or none
    // Addresses the port carries beyond its fixed IPs (an amphora's VIP, as /32 or /128), with
    // Octavia's policy routing: replies from them leave by the VIP subnet's gateway (table 1).
    std::vector<std::string> vip_addresses;
    bool router_port = false;

    bool operator==(const PortPlug&) const = default;
};

// subnets: id -> subnet JSON (cidr, gateway_ip). nullopt when the port is not plugged.
std::optional<PortPlug> plug_of(const nlohmann::json& port,
                                const std::map<std::string, nlohmann::json>& subnets);

// The string at key, or "" when absent or not a string (Neutron objects carry nulls).
std::string string_field(const nlohmann::json& object, const char* key);

// "ip/prefix" of address on a subnet with cidr "a/prefix"; the address alone (as /32 or /128)
// when the cidr is malformed.
std::string address_on_subnet(const std::string& address, const std::string& subnet_cidr);

}  // namespace octane::linuxbridge
