#pragma once

// The shared heartbeat HMAC key when none is configured: generated at the first start (32 random
// bytes as 64 hex characters) and kept in <state dir>/heartbeat.key, mode 0600, so every later
// start, and every agent this controller launches, uses the same key. Rejected: a fixed built-in
// default (Octavia ships "insecure"), which anyone could forge heartbeats with.

#include <string>

#include "common/result.h"

namespace octane::controller::health {

inline constexpr const char* kHeartbeatKeyFile = "heartbeat.key";

// Reads <state_dir>/heartbeat.key (trailing whitespace trimmed), creating it first when absent.
// Fails when the file cannot be created or read, or is empty.
Result<std::string> load_or_create_heartbeat_key(const std::string& state_dir);

}  // namespace octane::controller::health
