#pragma once

// What GET /1.0/info and /1.0/details report about the host (docs/amphora.md §1), read from /proc
// and the engine's `-v`, and the interface lookups of /interface and /plug.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::agent {

// The version the controller keys features on: haproxy's own version ("2.6.12-1+deb12u4"), or for
// octane-proxy the HAProxy dialect it implements ("2.6"), from the first line of `<engine> -v`.
std::string engine_version_from_output(const std::string& output);

std::string host_name();

// /1.0/details: hostname, versions, networks, cpu, memory, disk (of disk_path), load, topology.
// Fails when disk_path's file system cannot be read (no made-up disk figures).
Result<nlohmann::json> host_details(const std::string& engine_version, int engine_count,
                                    const std::vector<std::string>& listener_ids,
                                    const std::string& disk_path);

// The interface holding `ip` (getifaddrs), e.g. "lo".
std::optional<std::string> interface_with_address(const std::string& ip);

// The interface whose MAC address is `mac` (case-insensitive, /sys/class/net/*/address).
std::optional<std::string> interface_with_mac(const std::string& mac);

}  // namespace octane::agent
