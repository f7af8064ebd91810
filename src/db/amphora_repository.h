#pragma once

// The amphorae table (Octavia's AmphoraRepository): every read and write of an amphora row goes
// through here, so the API, the worker, the health manager and the network driver agree on what
// "live" means (status other than DELETED) and on the one shape of a row.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace octane::db {

struct AmphoraRecord {
    std::string id;
    std::optional<std::string> load_balancer_id;  // nullopt for a spare amphora
    std::string status;
    std::string created_at;
    std::optional<std::string> updated_at;
    nlohmann::json attrs = nlohmann::json::object();
};

// An ALLOCATED amphora of an ACTIVE load balancer with its last sign of life (amphora_health).
struct FailoverCandidate {
    std::string amphora_id;
    std::string load_balancer_id;
    std::string changed_at;               // COALESCE(updated_at, created_at)
    std::optional<int64_t> last_seen_ms;  // nullopt: never reported
    bool busy = false;
};

class AmphoraRepository {
  public:
    explicit AmphoraRepository(Database& db) : db_(db) {}

    // The list filters of GET /amphorae that map to a column or an attribute.
    static bool filterable(const std::string& key);

    // Any status, DELETED included.
    Result<std::optional<AmphoraRecord>> get(const std::string& id);
    Result<std::optional<AmphoraRecord>> get_live(const std::string& id);
    // Live amphorae matching every (filterable key, value), oldest first.
    Result<std::vector<AmphoraRecord>> list_live(
        const std::vector<std::pair<std::string, std::string>>& filters);
    Result<std::vector<AmphoraRecord>> live_of_load_balancer(const std::string& lb_id);
    Result<std::vector<std::string>> live_ids();
    Result<std::vector<FailoverCandidate>> failover_candidates();
    // True while the amphora is still an ALLOCATED amphora of lb_id, lb_id is ACTIVE and no
    // failover of the amphora is under way (amphora_health.busy).
    Result<bool> may_fail_over(const std::string& amphora_id, const std::string& lb_id);

    Result<void> insert(const AmphoraRecord& amphora);
    // A BOOTING amphora's start recorded: its status (ALLOCATED) and the attributes the compute
    // driver returned.
    Result<void> set_started(const std::string& id, const std::string& status,
                             const nlohmann::json& attrs, const std::string& now);
    // Sets attrs.role and attrs.vrrp_priority (null for none); an error when the row is gone.
    Result<void> set_role(const std::string& id, const std::string& role,
                          std::optional<int64_t> vrrp_priority, const std::string& now);
    Result<void> mark_deleted(const std::string& id, const std::string& now);
    Result<void> mark_deleted_of_load_balancer(const std::string& lb_id, const std::string& now);

  private:
    Result<std::vector<AmphoraRecord>> select_where(const std::string& where,
                                                    const std::vector<Value>& params);
    Database& db_;
};

}  // namespace octane::db
