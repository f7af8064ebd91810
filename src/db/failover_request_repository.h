#pragma once

// The failover_requests table: at most one pending failover per load balancer, of one amphora or
// (amphora_id NULL) of all of them. The API and the health manager request, the worker reads and
// clears.

#include <optional>
#include <string>

#include "db/database.h"

namespace octane::db {

struct FailoverRequestRow {
    std::optional<std::string> amphora_id;  // nullopt: every amphora of the load balancer
};

class FailoverRequestRepository {
  public:
    explicit FailoverRequestRepository(Database& db) : db_(db) {}

    Result<std::optional<FailoverRequestRow>> get(const std::string& lb_id);
    // Replaces any earlier request of the load balancer.
    Result<void> request_load_balancer(const std::string& lb_id);
    Result<void> request_amphora(const std::string& lb_id, const std::string& amphora_id);
    Result<void> clear(const std::string& lb_id);

  private:
    Database& db_;
};

}  // namespace octane::db
