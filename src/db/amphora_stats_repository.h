#pragma once

// The amphora_stats table: listener statistics per (amphora, listener), as the amphorae report
// them in heartbeats; summed per load balancer or listener for the /stats endpoints.

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"

namespace octane::db {

struct ListenerStats {
    std::string listener_id;
    std::string load_balancer_id;
    int64_t bytes_in = 0;
    int64_t bytes_out = 0;
    int64_t active_connections = 0;
    int64_t total_connections = 0;
    int64_t request_errors = 0;
};

class AmphoraStatsRepository {
  public:
    explicit AmphoraStatsRepository(Database& db) : db_(db) {}

    // Adds the counters to the (amphora, listener) row, or replaces them when absolute;
    // active_connections, a gauge, always replaces. Makes the row when there is none.
    Result<void> record(const std::string& amphora_id, const ListenerStats& stats, bool absolute);
    Result<std::vector<ListenerStats>> of_amphora(const std::string& amphora_id);
    // Sums over every amphora (ids of the result left empty).
    Result<ListenerStats> total_of_load_balancer(const std::string& lb_id);
    Result<ListenerStats> total_of_listener(const std::string& listener_id);
    // A dead amphora serves no connections: its gauge must not linger.
    Result<void> zero_active_connections(const std::string& amphora_id);
    Result<void> remove_of_load_balancer(const std::string& lb_id);

  private:
    Result<ListenerStats> total_where(const char* column, const std::string& id);
    Database& db_;
};

}  // namespace octane::db
