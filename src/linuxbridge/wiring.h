#pragma once

// The linuxbridge agent's hands: makes the devices of the fabric, of a network on a host, and of
// a plugged port exist (idempotently: what is already there as wanted is left alone), and takes
// them away. Netlink and nftables through src/net; no decision is made here.

#include <string>
#include <vector>

#include "common/result.h"
#include "linuxbridge/port_plug.h"
#include "linuxbridge/router_nat.h"
#include "linuxbridge/segments.h"
#include "linuxbridge/settings.h"

namespace octane::linuxbridge {

class Wiring {
  public:
    explicit Wiring(LinuxbridgeSettings settings) : settings_(std::move(settings)) {}

    // The fabric namespace (underlay and physical bridges) and every simulated host joined to it.
    Result<void> ensure_fabric();
    // brq<11> on the host, with vxlan-<vni> (VXLAN) or the host's physical NIC (flat) in it.
    Result<void> ensure_network_on_host(int host, const Segment& segment);
    // The bridge and VXLAN device of a network on a host (when no port of it is left there).
    Result<void> remove_network_from_host(int host, const Segment& segment);
    // The veth pair of a port, its MAC, addresses and routes; its namespace is created if missing.
    Result<void> wire_port(const PortPlug& plug, const Segment& segment);
    // Deletes the veth pair (both ends go together).
    Result<void> unwire_port(const PortPlug& plug);
    // The router namespace (forwarding on) and its NAT (one nft transaction).
    Result<void> ensure_router_namespace(const std::string& router_id);
    Result<void> apply_router_nat(const std::string& router_id, const RouterNat& nat);
    // Floating IPs as /32 on the gateway device; others (previous floating IPs) removed.
    Result<void> set_floating_addresses(const std::string& router_id, const std::string& qg_device,
                                        const std::vector<std::string>& fixed_cidrs,
                                        const std::vector<std::string>& floating_ips);
    // `unreachable <cidr> metric N` in the root namespace.
    Result<void> ensure_unreachable_route(const std::string& cidr);
    Result<void> remove_unreachable_route(const std::string& cidr);
    // Removes a namespace and kills the processes still inside it (SIGKILL, by PID).
    Result<void> remove_namespace(const std::string& name);

    std::string underlay_ip(int host) const;
    const LinuxbridgeSettings& settings() const { return settings_; }

  private:
    LinuxbridgeSettings settings_;
};

}  // namespace octane::linuxbridge
