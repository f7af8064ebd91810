#pragma once

// The amphora_health table (Octavia's AmphoraHealthRepository; amphora_health_schema.h): the last
// sign of life of each amphora, the last accepted heartbeat seq, and the busy mark of a failover
// under way.

#include <cstdint>
#include <optional>
#include <string>

#include "db/database.h"

namespace octane::db {

class AmphoraHealthRepository {
  public:
    explicit AmphoraHealthRepository(Database& db) : db_(db) {}

    // The last accepted seq (nullopt: none recorded).
    Result<std::optional<int64_t>> stored_seq(const std::string& amphora_id);
    // Records an accepted heartbeat: seq, busy cleared (the amphora is alive), and last_seen_ms
    // set to seen_ms when given, else kept from the old row (or NULL).
    Result<void> record_heartbeat(const std::string& amphora_id, int64_t seq,
                                  std::optional<int64_t> seen_ms);
    // Marks a failover of the amphora under way (a row is made when it has none).
    Result<void> mark_busy(const std::string& amphora_id);
    // Removes the rows of amphorae that are DELETED or gone.
    Result<void> sweep_deleted();

  private:
    Database& db_;
};

}  // namespace octane::db
