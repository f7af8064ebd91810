#pragma once

// Repository for the objects of load balancer trees (one table per Kind, same shape; see
// schema.cc). Every method is one statement; callers compose them inside Database::transaction().

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"
#include "model/resource_kind.h"

namespace octane::db {

struct TreeObject {
    std::string id;
    std::string project_id;
    std::string load_balancer_id;
    std::string parent_id;  // listener/pool: LB; member/HM: pool; l7policy: listener; rule: policy
    std::string provisioning_status;
    std::string operating_status;
    std::string created_at;
    std::optional<std::string> updated_at;
    nlohmann::json attrs = nlohmann::json::object();
};

class ObjectStore {
  public:
    explicit ObjectStore(Database& db) : db_(db) {}

    Result<std::optional<TreeObject>> get(model::Kind kind, const std::string& id);
    Result<std::vector<TreeObject>> by_load_balancer(model::Kind kind, const std::string& lb_id);
    Result<std::vector<TreeObject>> by_parent(model::Kind kind, const std::string& parent_id);
    Result<void> insert(model::Kind kind, const TreeObject& object);
    // Rewrites every column of an existing row.
    Result<void> update(model::Kind kind, const TreeObject& object);
    Result<void> set_provisioning_status(model::Kind kind, const std::string& id,
                                         const std::string& status, const std::string& now);
    Result<void> set_operating_status(model::Kind kind, const std::string& id,
                                      const std::string& status);
    Result<void> remove(model::Kind kind, const std::string& id);
    // Objects of a project not DELETED (what its quota counts).
    Result<int64_t> count_in_use(model::Kind kind, const std::string& project_id);
    Result<int64_t> count_of_load_balancer(model::Kind kind, const std::string& lb_id);
    // A load balancer not DELETED whose VIP is port_id.
    Result<std::optional<std::string>> live_load_balancer_on_port(const std::string& port_id);
    // (parent, child id) pairs of the children whose column (load_balancer_id or parent_id) is
    // one of parent_ids; L7 policies in evaluation order (position), the rest oldest first.
    Result<std::vector<std::pair<std::string, std::string>>> child_ids(
        model::Kind child, const std::string& column, const std::vector<std::string>& parent_ids);
    // One page of a list, rows in columns() order: where, order_by and limit as
    // api/list_query.h builds them.
    Result<Rows> page(model::Kind kind, const std::string& where, const std::string& order_by,
                      int64_t limit, const std::vector<Value>& params);
    // The values of select (comma-separated column expressions) of row id if it also matches
    // where (may be empty); nullopt when it does not.
    Result<std::optional<Row>> row_values(model::Kind kind, const std::string& select,
                                          const std::string& id, const std::string& where,
                                          const std::vector<Value>& params);
    // Replaces the attributes of a row (the worker's final states of some objects carry them).
    Result<void> set_attrs(model::Kind kind, const std::string& id, const nlohmann::json& attrs);
    Database& database() { return db_; }

    static std::string columns();
    static TreeObject from_row(const Row& row);

  private:
    Result<int64_t> count_where(model::Kind kind, const std::string& where,
                                const std::string& value);
    Result<std::vector<TreeObject>> select_where(model::Kind kind, const std::string& where,
                                                 const std::string& value);
    Database& db_;
};

}  // namespace octane::db
