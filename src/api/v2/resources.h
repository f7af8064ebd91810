#pragma once

// Route registration of each v2 resource, and the insert functions graph create reuses.

#include "api/call.h"
#include "db/object_store.h"

namespace octane::api::v2 {

void add_load_balancer_routes(ApiRouter& router, const std::string& prefix);
void add_listener_routes(ApiRouter& router, const std::string& prefix);
void add_pool_routes(ApiRouter& router, const std::string& prefix);
void add_member_routes(ApiRouter& router, const std::string& prefix);
void add_health_monitor_routes(ApiRouter& router, const std::string& prefix);
void add_l7policy_routes(ApiRouter& router, const std::string& prefix);
void add_l7rule_routes(ApiRouter& router, const std::string& prefix);
void add_quota_routes(ApiRouter& router, const std::string& prefix);
void add_provider_routes(ApiRouter& router, const std::string& prefix);
void add_flavor_routes(ApiRouter& router, const std::string& prefix);
void add_availability_zone_routes(ApiRouter& router, const std::string& prefix);
void add_amphora_routes(ApiRouter& router, const std::string& prefix);
void add_status_routes(ApiRouter& router, const std::string& prefix);

// Insert functions: validated attributes in, a new PENDING_CREATE row out. They check the
// object's own rules and its siblings, but do not lock: the caller holds the load balancer
// (locked by a single create, or itself PENDING_CREATE in a graph create).
model::ApiResult<db::TreeObject> insert_listener(Call& call, const db::TreeObject& lb,
                                                 nlohmann::json attrs);
model::ApiResult<db::TreeObject> insert_pool(Call& call, const db::TreeObject& lb,
                                             const db::TreeObject* listener, nlohmann::json attrs);
// Member subnet_id (when given) must exist on the networking surface: else 400
// InvalidSubresource "Subnet <id> not found.".
model::ApiResult<void> check_member_subnet(Call& call, const nlohmann::json& attrs);
model::ApiResult<db::TreeObject> insert_member(Call& call, const db::TreeObject& pool,
                                               nlohmann::json attrs);
model::ApiResult<db::TreeObject> insert_health_monitor(Call& call, const db::TreeObject& pool,
                                                       nlohmann::json attrs);
model::ApiResult<db::TreeObject> insert_l7policy(Call& call, const db::TreeObject& listener,
                                                 nlohmann::json attrs);
model::ApiResult<db::TreeObject> insert_l7rule(Call& call, const db::TreeObject& policy,
                                               nlohmann::json attrs);

// Single-call create of a load balancer with its children (docs/octavia-api.md §2.11), inside the
// caller's transaction, the load balancer row already inserted.
model::ApiResult<nlohmann::json> render_full_graph(Call& call, const db::TreeObject& lb);
model::ApiResult<void> create_graph(Call& call, const db::TreeObject& lb,
                                    const nlohmann::json& body);

}  // namespace octane::api::v2
