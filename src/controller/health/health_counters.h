#pragma once

// What the health manager did with the datagrams it received: accepted, dropped per reason (never
// applied), ignored per reason (authentic but about nothing we manage), and the failovers it asked
// for. Operators read them from <state dir>/health-counters.json (health_manager.h refreshes it)
// and from the periodic log line. Atomics: the receiver thread adds, the check thread reads; no
// lock, and a snapshot may mix counts of neighbouring datagrams, which is fine for counters.
// A DB table was the rejected alternative: a write per dropped datagram would let a flood of
// forged packets hammer the database.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "wire/heartbeat.h"

namespace octane::controller::health {

enum class Counter {
    kReceived,  // every datagram read from the socket
    kAccepted,  // applied to the database
    // dropped: never applied
    kOversized,
    kTruncated,
    kBadHmac,
    kBadZlib,
    kBadJson,
    kBadVersion,
    kBadSchema,
    kReplayed,  // seq not larger than the last accepted one (sequence_guard.h)
    // ignored: authentic, but not about a live amphora of a live load balancer
    kUnknownAmphora,
    kInactiveLoadBalancer,
    kRestarts,       // accepted as an agent restart (seq back to 0/1)
    kStorageErrors,  // the database refused the update
    kFailovers,      // failovers requested by the stale-amphora check
    kCount,
};

class HealthCounters {
  public:
    void add(Counter counter, uint64_t n = 1) {
        values_[static_cast<size_t>(counter)].fetch_add(n, std::memory_order_relaxed);
    }
    uint64_t get(Counter counter) const {
        return values_[static_cast<size_t>(counter)].load(std::memory_order_relaxed);
    }
    // Sum of all counters: changes whenever anything was counted (for "rewrite the file?").
    uint64_t total() const;

    // {"received", "accepted", "dropped": {reason: n}, "ignored": {reason: n}, "restarts",
    //  "storage_errors", "failovers"}; the reason names are those of wire::to_string().
    nlohmann::json to_json() const;

  private:
    std::array<std::atomic<uint64_t>, static_cast<size_t>(Counter::kCount)> values_{};
};

// The counter of a decode failure.
Counter counter_of(wire::HeartbeatError error);

// The JSON name of a counter ("bad_hmac", "unknown_amphora", ...).
const char* counter_name(Counter counter);

// Writes the JSON to path atomically (temp file + rename), so a reader never
// sees half a file.
Result<void> write_counters_file(const std::string& path, const nlohmann::json& counters);

}  // namespace octane::controller::health
