#pragma once

// Where PUT /1.0/interface/{ip}/rules takes effect (docs/amphora.md §1, "allowed_cidrs"): the
// rules are loaded with libnftables into the engine's network namespace (amphora-haproxy-<id>
// with the linuxbridge network driver), the namespace holding the VIP, as Octavia's agent loads
// them into its amphora-haproxy namespace.
// Without an engine namespace (the `local` network driver: loopback VIPs in the host's own
// namespace) nothing is loaded: a drop policy on the input hook there would filter the whole
// machine. That is logged once; the rules are still accepted and stored.

#include <string>
#include <vector>

#include "wire/agent_types.h"

namespace octane::agent {

struct FirewallOutcome {
    int status = 200;
    std::string message = "OK";
    std::string details;
};

// Octavia's answers: 404 "Error interface not found for IP address" when no interface of the
// namespace holds ip, 400 for a rule nft cannot take (a malformed cidr), 500 when loading fails
// (the previous rules stay loaded). An empty list leaves loaded rules as they are, as Octavia's
// agent does (it keeps its rules file); on an amphora that has none yet it loads the base
// chain alone, which drops everything new arriving on the VIP interface.
FirewallOutcome enforce_interface_rules(const std::string& engine_netns, const std::string& ip,
                                        const std::vector<wire::InterfaceRule>& rules);

}  // namespace octane::agent
