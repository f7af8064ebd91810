#pragma once

// A one-shot command on an engine's stats socket (haproxy's and octane-proxy's `stats socket`):
// connect, send "<command>\n", read until the engine closes.

#include <chrono>
#include <string>

#include "common/result.h"

namespace octane::agent {

Result<std::string> query_stats_socket(const std::string& path, const std::string& command,
                                       std::chrono::milliseconds timeout);

}  // namespace octane::agent
