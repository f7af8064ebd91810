#pragma once

// The amphora -> health manager heartbeat payload, version 3 (docs/amphora.md §2), as plain data.
// The envelope around it (zlib + HMAC) is in heartbeat_envelope.h.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::wire {

inline constexpr int kHeartbeatVersion = 3;

// Why a datagram was dropped; the value is Error::code of the decode functions, so a receiver can
// count drops per reason.
enum class HeartbeatError {
    kOversized = 1,  // larger than kMaxDatagram
    kTruncated,      // too short to hold a digest and a payload
    kBadHmac,        // neither the hex nor the legacy raw digest matches
    kBadZlib,        // not one complete zlib stream, or inflates past the limit
    kBadJson,        // not JSON
    kBadVersion,     // "ver" missing or not 2..3
    kBadSchema,      // JSON of the wrong shape
};

const char* to_string(HeartbeatError error);

// Counters of one listener since the previous heartbeat (ver 3: deltas, except `conns`, which is
// the current number of sessions). ver < 3 senders put absolute values here.
struct ListenerStats {
    int64_t tx = 0;        // bytes out
    int64_t rx = 0;        // bytes in
    int64_t conns = 0;     // current sessions (absolute)
    int64_t totconns = 0;  // sessions
    int64_t ereq = 0;      // request errors
};

struct ListenerReport {
    std::string status;  // OPEN | FULL (haproxy frontend status)
    ListenerStats stats;
};

struct PoolReport {
    std::string status;                          // UP | DOWN
    std::map<std::string, std::string> members;  // member id -> UP, DOWN, DRAIN, MAINT, no check...
};

struct Heartbeat {
    std::string amphora_id;  // "id"
    int64_t seq = 0;         // +1 per message since the agent started
    int ver = kHeartbeatVersion;
    std::map<std::string, ListenerReport> listeners;  // by listener id
    std::map<std::string, PoolReport> pools;          // by "<pool_id>:<listener_id>" (or pool id)
};

// "<pool_id>:<listener_id>" -> "<pool_id>"; a key without ':' is returned whole (LVS pools).
std::string_view pool_id_of(std::string_view pool_key);

nlohmann::json to_json(const Heartbeat& heartbeat);

// Accepts ver 2 and 3 messages (v1 nested pools inside listeners and is not supported). Fails with
// kBadVersion, or kBadSchema and a message naming the offending field.
Result<Heartbeat> heartbeat_from_json(const nlohmann::json& payload);

}  // namespace octane::wire
