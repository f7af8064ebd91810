#pragma once

// The body of PUT /1.0/interface/{ip}/rules for one amphora of a load balancer, built as
// Octavia's GetAmphoraFirewallRules task builds it (docs/amphora.md §1, "allowed_cidrs"):
// for each listener, one rule per allowed CIDR with the listener's L4 protocol (HTTP, HTTPS,
// TERMINATED_HTTPS, PROXY, PROXYV2 and PROMETHEUS are TCP) and protocol_port, or one rule with a
// null cidr (every source) when the listener has no allowed_cidrs; then, for active-standby, one
// VRRP rule (port 112) per peer amphora from its VRRP address as a /32 or /128, and one TCP rule
// for the peers port (1025) from the same address, which Octavia's VIP security group opens. Pure.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace octane::drivers {

// Octavia's HAPROXY_BASE_PEER_PORT: the engines of a pair replicate stick tables over it.
inline constexpr int kPeerPort = 1025;

// load_balancer: the API-shaped graph the worker passes to AmphoraDriver::apply.
// peer_vrrp_ips: the VRRP addresses of the other ALLOCATED amphorae of the load balancer.
nlohmann::json amphora_firewall_rules(const nlohmann::json& load_balancer,
                                      const std::vector<std::string>& peer_vrrp_ips);

}  // namespace octane::drivers
