#pragma once

// One datagram through the health manager: size limit, envelope and payload checks
// (wire::decode_heartbeat: HMAC, zlib, JSON, schema), replay guard (sequence_guard.h), then the
// database (heartbeat_store.h). Every datagram ends in exactly one counter besides kReceived
// (health_counters.h), so "received = accepted + dropped + ignored + storage errors" holds.
// Nothing that fails a check reaches the database. Receiver thread only (the guard is not
// thread-safe).

#include <cstddef>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "controller/health/health_counters.h"
#include "controller/health/heartbeat_store.h"
#include "controller/health/sequence_guard.h"
#include "wire/heartbeat_envelope.h"

namespace octane::controller::health {

class HeartbeatProcessor {
  public:
    // key: heartbeat_key (UTF-8 bytes). max_datagram: larger datagrams are dropped unread.
    HeartbeatProcessor(HeartbeatStore& store, HealthCounters& counters, const Clock& clock,
                       std::string key, size_t max_datagram = wire::kMaxDatagram);

    // datagram: the bytes read; full_size: the datagram's real size (larger than datagram.size()
    // when the socket truncated it). Returns the counter the datagram ended in.
    Counter handle(std::string_view datagram, size_t full_size);
    Counter handle(std::string_view datagram) { return handle(datagram, datagram.size()); }

  private:
    Counter admit(const wire::Heartbeat& heartbeat);

    HeartbeatStore& store_;
    HealthCounters& counters_;
    const Clock& clock_;
    std::string key_;
    size_t max_datagram_;
    SequenceGuard guard_;
};

}  // namespace octane::controller::health
