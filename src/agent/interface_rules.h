#pragma once

// The nftables ruleset an amphora loads for PUT /1.0/interface/{ip}/rules (docs/amphora.md §1),
// laid out as Octavia's amphora agent lays it out, so `nft list ruleset` reads the same:
// table inet amphora_table, base chain amphora_chain on the input hook with policy drop, which
// accepts established/related flows, loopback, the ICMP/ICMPv6 that PMTU discovery and
// neighbour discovery need, DHCP replies, and sends everything that entered through the VIP
// interface to amphora_vip_chain: one accept per rule (source CIDR, protocol, port), the rest
// falls back to the drop policy. The batch declares, deletes and redefines the table, so one
// transaction replaces the previous rules atomically. Pure.

#include <string>
#include <vector>

#include "common/result.h"
#include "wire/agent_types.h"

namespace octane::agent {

inline constexpr const char* kAmphoraNftTable = "amphora_table";  // family inet

// A source CIDR as nft will print it: "a.b.c.d/len" or "x::/len" with the host bits cleared;
// a bare address is a /32 or /128. Errors name the text. Anything that is not an address and a
// prefix length is refused, since it ends up in an nft command.
Result<std::string> normalize_cidr(const std::string& cidr);

// The nft batch for these rules on vip_interface (the interface holding the address of the
// URL). Octavia's quirks kept: a null cidr or 0.0.0.0/0 admits every source of both families;
// ::/0 admits every IPv6 source only. VRRP rules admit protocol 112 from their cidr over IPv4
// and IPv6 (Octavia's `ip protocol 112` would never match an IPv6 peer); their port is ignored.
Result<std::string> render_interface_rules(const std::vector<wire::InterfaceRule>& rules,
                                           const std::string& vip_interface);

}  // namespace octane::agent
