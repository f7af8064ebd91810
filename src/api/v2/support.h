#pragma once

// Building blocks shared by the v2 resource handlers: loading with Octavia's 404s, the load
// balancer lock of docs/octavia-api.md §3.1, generic list/show, and id/time helpers.

#include <optional>
#include <string>
#include <vector>

#include "api/call.h"
#include "api/list_query.h"
#include "api/policy.h"
#include "db/object_store.h"
#include "drivers/network_driver.h"
#include "model/field_spec.h"
#include "model/field_validation.h"

namespace octane::api::v2 {

using db::TreeObject;
using model::ApiResult;
using model::Kind;

// Loads an object; 404 "<Resource> <id> not found." when absent (or a DELETED load balancer).
ApiResult<TreeObject> load(Call& call, Kind kind, const std::string& id);

// Loads and authorizes against the object's project.
ApiResult<TreeObject> load_authorized(Call& call, Kind kind, const std::string& id, Rule rule);

// The project a new object belongs to: body project_id/tenant_id, else the caller's.
ApiResult<std::string> project_for_create(const Call& call, const nlohmann::json& body);

// Inside a transaction: requires the load balancer ACTIVE and marks it PENDING_UPDATE.
// Failure: 409 "Load Balancer <id> is immutable and cannot be updated."
ApiResult<TreeObject> lock_load_balancer(Call& call, const std::string& lb_id);

// Requires a parent (pool / L7 policy) ACTIVE: 409 "<Resource> <id> is immutable ...".
ApiResult<void> require_active(const TreeObject& object, Kind kind);

// Marks objects PENDING_UPDATE (listeners/pools that must be re-rendered with a change).
ApiResult<void> mark_pending_update(Call& call, Kind kind, const std::vector<std::string>& ids);

// Listeners that use a pool (default pool or L7 redirect).
ApiResult<std::vector<std::string>> listeners_using_pool(Call& call, const TreeObject& pool);

// Runs body in a DB transaction, mapping storage failures to 500.
ApiResult<void> in_transaction(Call& call, const std::function<ApiResult<void>()>& body);

// GET one: renders with relations and `fields`.
ApiResult<http::HttpResponse> show(Call& call, Kind kind, const TreeObject& object,
                                   const std::string& wrapper, int status = 200);

// GET list over a kind. scope_where/scope_params restrict to a parent; project scoping applies
// unless the parent was already authorized (scoped_by_parent).
ApiResult<http::HttpResponse> list(Call& call, Kind kind, const std::string& plural,
                                   const std::string& links_key, const std::string& scope_where,
                                   const std::vector<db::Value>& scope_params,
                                   bool scoped_by_parent);

// A request body {"<wrapper>": {...}} parsed, unwrapped and validated against spec.
struct ValidatedBody {
    nlohmann::json given;  // the object under the wrapper, as sent
    nlohmann::json attrs;  // validate_fields() of it
};
ApiResult<ValidatedBody> read_body(const Call& call, const model::ResourceSpec& spec,
                                   model::Mode mode, const std::string& wrapper,
                                   const std::string& argument);

// Wakes an in-process worker after a committed change (a no-op for the split API daemon).
inline void wake_worker(const Call& call) {
    if (call.api.notify_worker) {
        call.api.notify_worker();
    }
}

// The caller as the networking service sees it (Octavia looks VIP and member subnets up with the
// user's token): the project, and admin for the Keystone role admin or noauth.
drivers::NetworkCaller network_caller(const RequestContext& context);

// Storage failure → 500 fault.
Unexpected<model::ApiError> storage_error(const Error& error);

// Strips the keys that live in columns or are graph children from validated attributes.
void strip_non_attributes(nlohmann::json& attrs, std::initializer_list<const char*> keys);

// The TLS refs a listener or pool request sets, loaded through the key manager with the caller's
// rights as Octavia's _validate_tls_refs / _validate_client_ca_and_crl_refs do.
inline ApiResult<void> check_tls_refs(const Call& call, const nlohmann::json& attrs, bool is_pool) {
    if (!call.api.check_tls_refs) {
        return {};
    }
    return call.api.check_tls_refs(call.context, attrs, is_pool);
}

}  // namespace octane::api::v2
