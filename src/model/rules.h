#pragma once

// Pure semantic rules of Octavia's API beyond attribute types (docs/octavia-api.md §2): protocol
// combinations, session persistence, health monitor arguments, L7 policy actions and L7 rule
// values. Inputs are validated attribute objects (see field_validation.h); outputs are Octavia's
// faults.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/api_error.h"

namespace octane::model {

// L4 family a listener protocol occupies a port in ("TCP", "UDP" or "SCTP").
std::string l4_protocol_of(const std::string& listener_protocol);

// VALID_LISTENER_POOL_PROTOCOL_MAP.
bool pool_protocol_allowed(const std::string& listener_protocol, const std::string& pool_protocol);
ApiResult<void> check_pool_protocol(const std::string& listener_protocol,
                                    const std::string& pool_protocol);

// Listener attributes that depend on the protocol (certs, insert_headers, hsts, prometheus).
ApiResult<void> check_listener(const nlohmann::json& listener);

// Every allowed CIDR must share its IP version with at least one VIP address (the VIP and the
// additional VIPs), as Octavia's listener validation; the fault names the CIDR and the VIPs.
ApiResult<void> check_cidrs_match_vips(const nlohmann::json& allowed_cidrs,
                                       const std::vector<std::string>& vip_addresses);

// Pool attributes: session persistence shape, algorithm support, TLS references.
ApiResult<nlohmann::json> normalize_session_persistence(const nlohmann::json& sp,
                                                        const std::string& pool_protocol,
                                                        const nlohmann::json& stored);
ApiResult<void> check_pool(const nlohmann::json& pool);

// Health monitor: type vs pool protocol, HTTP-only fields, defaults for HTTP types.
ApiResult<void> check_health_monitor(const nlohmann::json& hm, const std::string& pool_protocol);
// Fills http_method/url_path/expected_codes defaults for HTTP(S) monitors (null otherwise).
void fill_health_monitor_defaults(nlohmann::json& hm);

// L7 policy: action arguments (required / forced null), redirect code defaults.
ApiResult<void> normalize_l7policy(nlohmann::json& policy, bool on_update,
                                   const nlohmann::json& update);

// L7 rule: key/value/compare_type combinations.
ApiResult<void> check_l7rule(const nlohmann::json& rule);

}  // namespace octane::model
