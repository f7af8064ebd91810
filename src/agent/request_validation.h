#pragma once

// Pure checks of what the controller sends the agent (docs/amphora.md §1): ids that become path
// components, certificate file names, lifecycle actions, interface rules, controller endpoints.
// Anything that reaches the filesystem passes through here first.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "wire/agent_types.h"

namespace octane::agent {

// An id used as a file or directory name: 1..64 of [A-Za-z0-9_-] (UUIDs and the like); rejects
// '/', '.', '..' and the empty string.
bool is_safe_id(std::string_view id);

// A certificate file name as Octavia accepts it (ends with ".pem"), restricted to [A-Za-z0-9_.-]
// and not starting with '.', so it cannot leave the LB's certificate directory.
bool is_certificate_filename(std::string_view name);

enum class LbAction { kStart, kStop, kReload };
std::optional<LbAction> parse_lb_action(std::string_view action);

// PUT /1.0/interface/{ip}/rules: a JSON array of {"protocol": TCP|UDP|SCTP|VRRP, "cidr": string
// or null, "port": 1..65535}, all keys required, no others (Octavia's rules_schema). The message
// names the first offending element.
Result<std::vector<wire::InterfaceRule>> validate_interface_rules(const nlohmann::json& body);

struct Endpoint {
    std::string host;  // IPv4 or IPv6 text, no brackets
    uint16_t port = 0;
};

// "ip:port" or "[ipv6]:port" (health_manager.controller_ip_port_list entries).
Result<Endpoint> parse_endpoint(std::string_view text);

// A comma-separated list of endpoints (blank entries skipped).
Result<std::vector<Endpoint>> parse_endpoint_list(std::string_view text);

// True when `text` is an IPv4 or IPv6 address.
bool is_ip_address(const std::string& text);

}  // namespace octane::agent
