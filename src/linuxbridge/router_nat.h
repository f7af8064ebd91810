#pragma once

// The NAT of one router namespace as one nftables batch, the rules Neutron's legacy L3 agent
// installs with iptables (docs/design.md §4, "Router NAT"), in nft's words:
//  - traffic that entered through the gateway port is marked 0x2 (low 16 bits);
//  - each floating IP: DNAT to its fixed IP (prerouting, and output for the router's own traffic),
//    and SNAT of that fixed IP to the floating IP on the way out;
//  - everything else leaving through the gateway port: SNAT to the gateway address (enable_snat);
//  - DNATed traffic that did not enter through the gateway (an internal host reaching another's
//    floating IP) is SNATed to the gateway address, so the reply comes back through the router.
// The batch creates the table, deletes it and defines it again: applied in one transaction it
// replaces whatever was there, or creates it, atomically. Pure.

#include <string>
#include <vector>

namespace octane::linuxbridge {

inline constexpr const char* kRouterNatTable = "neutron-l3-agent";

struct FloatingIpNat {
    std::string floating_ip;  // on the gateway port as /32
    std::string fixed_ip;     // the associated port's address
};

struct RouterNat {
    std::string gateway_device;  // qg-<11>; empty: the router has no gateway (no NAT at all)
    std::string gateway_ip;      // its IPv4 address on the external subnet
    bool enable_snat = true;
    std::vector<FloatingIpNat> floating_ips;
};

// The nft batch; empty when the router has no gateway (then the table is removed instead).
std::string render_router_nat(const RouterNat& nat);

// The addresses whose connection tracking state must go when a router's floating IPs change
// from before to after, as Neutron's L3 agent deletes it: a floating IP that appeared, vanished
// or points elsewhere (entries made before its DNAT rule existed would bypass it), and the fixed
// address a vanished or re-pointed one translated. Sorted, unique. Pure.
std::vector<std::string> conntrack_to_flush(const std::vector<FloatingIpNat>& before,
                                            const std::vector<FloatingIpNat>& after);

}  // namespace octane::linuxbridge
