#pragma once

// What an amphora driver asks of the network driver when amphorae are "VMs" on real networks
// (the linuxbridge driver): Nova's boot on lb-mgmt-net plus Octavia's VIP plug, in one seam.
// The amphora's management port and its VRRP port on the VIP subnet become devices in two
// namespaces: `amphora-<id>` (the VM: eth0 on lb-mgmt-net, where the agent listens on 9443) and
// `amphora-haproxy-<id>` (the seed's amphora-haproxy: eth1 holding the VRRP port's address and the
// VIP as /32), in which the engine runs.

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "drivers/amphora_driver.h"

namespace octane::drivers {

struct AmphoraPlacement {
    std::string host;        // simulated compute host, "host-1"
    std::string mgmt_netns;  // amphora-<id>: runs the agent
    std::string mgmt_ip;     // lb_network_ip
    std::string mgmt_port_id;
    std::string engine_netns;  // amphora-haproxy-<id>: runs the engine
    std::string vrrp_ip;       // the VRRP port's own address on the VIP subnet
    std::string vrrp_port_id;
    std::string vrrp_interface = "eth1";
};

// The VIP subnet as keepalived's virtual routes need it.
struct VipSubnet {
    std::string cidr;
    std::string gateway_ip;                                // empty when the subnet has none
    nlohmann::json host_routes = nlohmann::json::array();  // [{destination, nexthop}]
};

class AmphoraNetworking {
  public:
    virtual ~AmphoraNetworking() = default;
    // Ports, namespaces and devices of a new amphora of this load balancer (API-shaped graph).
    // request.avoid_hosts: its peer's hosts, avoided as `[nova]` anti-affinity says; an error
    // when no host is left.
    // request.vrrp: the VIP is not put on the VIP interface (keepalived manages it).
    virtual Result<AmphoraPlacement> plug_amphora(const std::string& amphora_id,
                                                  const nlohmann::json& load_balancer,
                                                  const AmphoraRequest& request) = 0;
    // Everything plug_amphora made (and processes left inside its namespaces); missing = done.
    virtual Result<void> unplug_amphora(const std::string& amphora_id) = 0;
    virtual Result<VipSubnet> vip_subnet(const std::string& subnet_id) = 0;
    // Where amphorae reach the controller (o-hm0's address): heartbeats go there.
    virtual std::string controller_ip() = 0;
};

}  // namespace octane::drivers
