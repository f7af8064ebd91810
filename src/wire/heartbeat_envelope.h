#pragma once

// The heartbeat datagram (docs/amphora.md §2): zlib.compress(json, level 9) followed by the
// HMAC-SHA256 of the compressed bytes, keyed with heartbeat_key (UTF-8), as 64 lowercase hex
// characters. Receivers also accept the legacy raw 32-byte digest. Pure: no sockets, no clock.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "wire/heartbeat.h"

namespace octane::wire {

inline constexpr size_t kMaxDatagram = 64 * 1024;        // larger datagrams are dropped unread
inline constexpr size_t kMaxInflated = 4 * 1024 * 1024;  // zlib-bomb guard for the payload

// JSON bytes -> datagram (zlib level 9 + hex HMAC).
std::string seal_envelope(std::string_view json_bytes, std::string_view key);

// Datagram -> verified, inflated JSON text. Checks size first, then the digest (hex, then legacy
// raw) in constant time, then inflates. Error::code is a HeartbeatError.
Result<std::string> open_envelope(std::string_view datagram, std::string_view key);

// Heartbeat -> datagram.
std::string encode_heartbeat(const Heartbeat& heartbeat, std::string_view key);

// Datagram -> Heartbeat: open_envelope(), JSON parse, heartbeat_from_json(). Never throws; every
// failure carries a HeartbeatError code and a reason.
Result<Heartbeat> decode_heartbeat(std::string_view datagram, std::string_view key);

}  // namespace octane::wire
