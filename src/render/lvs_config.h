#pragma once

// The keepalived LVS configuration Octavia's amphora driver renders for one UDP or SCTP listener
// (octavia/common/jinja/lvs/templates/keepalivedlvs.cfg.j2), byte for byte, so an operator reads
// what they know; octane-proxy serves it natively (`--lvs`, docs/amphora.md §5). Pure.
//
// What it says: one virtual_server_group + virtual_server per IP version of the VIPs; lb_algo
// wrr (ROUND_ROBIN), lc (LEAST_CONNECTIONS), sh (SOURCE_IP), and for SOURCE_IP_PORT, which
// Octavia's amphora renders as wrr, `sh` plus keepalived's `sh-port`; SOURCE_IP session
// persistence as persistence_timeout (default 360) and persistence_granularity (default
// 255.255.255.255 / 128); the monitor as delay_loop/delay_before_retry (delay) and retry
// (max_retries_down); per enabled member of that IP version a real_server with its weight, the
// listener's connection_limit as uthreshold, and the check: MISC_CHECK running udp_check.sh
// (UDP-CONNECT) or `amphora-health-checker sctp` (SCTP), TCP_CHECK (TCP), HTTP_GET (HTTP with
// method GET), aimed at monitor_address/monitor_port when set.

#include <string>

#include "common/result.h"
#include "render/input_model.h"

namespace octane::render {

// Where Octavia's amphora keeps its UDP check script; written as Octavia writes it (the engine
// runs the check itself and only reads the address and port).
inline constexpr const char* kUdpCheckScript = "/var/lib/octavia/lvs/check/udp_check.sh";

bool is_lvs_listener(const ListenerInput& listener);

// Fails when the listener is not in `lb`, is not UDP/SCTP, or a value would not read back as one
// keepalived word.
Result<std::string> render_lvs_cfg(const LoadBalancerInput& lb, const std::string& listener_id);

}  // namespace octane::render
