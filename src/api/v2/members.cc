#include <map>
#include <set>
#include <vector>

#include "api/v2/quota_check.h"
#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "common/uuid.h"
#include "model/field_validation.h"
#include "model/ip_address.h"
#include "model/resource_specs.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

const model::ResourceSpec& spec() {
    return model::member_spec();
}

ApiResult<TreeObject> pool_of(Call& call, Rule rule) {
    return load_authorized(call, Kind::kPool, call.param("pool_id"), rule);
}

// Member changes need the load balancer lock and the pool ACTIVE; the pool and the listeners
// that use it are re-rendered with the change.
ApiResult<void> lock_for_member_change(Call& call, const TreeObject& pool) {
    // The parent's own state is checked first, as Octavia does.
    if (auto ok = require_active(pool, Kind::kPool); !ok) {
        return ok;
    }
    auto locked = lock_load_balancer(call, pool.load_balancer_id);
    if (!locked) {
        return Unexpected(locked.error());
    }
    auto users = listeners_using_pool(call, pool);
    if (!users) {
        return Unexpected(users.error());
    }
    if (auto marked = mark_pending_update(call, Kind::kListener, *users); !marked) {
        return marked;
    }
    return mark_pending_update(call, Kind::kPool, {pool.id});
}

ApiResult<TreeObject> load_member(Call& call, const TreeObject& pool) {
    auto member = load(call, Kind::kMember, call.param("id"));
    if (!member || member->parent_id != pool.id) {
        return model::not_found("Member", call.param("id"));
    }
    return member;
}

ApiResult<json> validate_create(const json& given) {
    auto attrs = model::validate_fields(spec(), given, model::Mode::kPost, spec().post_argument);
    if (!attrs) {
        return attrs;
    }
    if ((*attrs)["address"] == "169.254.169.254") {
        return api_error(400, "169.254.169.254 is not a valid option for member address");
    }
    if (given.value("request_sriov", false) == true) {
        return api_error(400, "The load balancer flavor does not allow SR-IOV member ports.");
    }
    return attrs;
}

ApiResult<http::HttpResponse> create(Call& call) {
    auto body = parse_body(call);
    if (!body) {
        return Unexpected(body.error());
    }
    auto given = model::unwrap(*body, "member", "member_");
    if (!given) {
        return Unexpected(given.error());
    }
    auto attrs = validate_create(*given);
    if (!attrs) {
        return Unexpected(attrs.error());
    }
    if (auto known = check_member_subnet(call, *attrs); !known) {
        return Unexpected(known.error());
    }
    TreeObject member;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto pool = pool_of(call, Rule::kWrite);
        if (!pool) {
            return Unexpected(pool.error());
        }
        if (auto ok = check_quota(call, pool->project_id, {{Kind::kMember, 1}}); !ok) {
            return ok;
        }
        if (auto locked = lock_for_member_change(call, *pool); !locked) {
            return locked;
        }
        auto inserted = insert_member(call, *pool, *attrs);
        if (!inserted) {
            return Unexpected(inserted.error());
        }
        member = std::move(*inserted);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kMember, member, "member", 201);
}

ApiResult<http::HttpResponse> update(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPut, "member", "member_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* changes = &body->attrs;
    TreeObject member;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto pool = pool_of(call, Rule::kWrite);
        if (!pool) {
            return Unexpected(pool.error());
        }
        auto loaded = load_member(call, *pool);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        member = std::move(*loaded);
        if (auto locked = lock_for_member_change(call, *pool); !locked) {
            return locked;
        }
        for (const auto& [key, value] : changes->items()) {
            member.attrs[key] = value;
        }
        member.provisioning_status = model::kPendingUpdate;
        member.updated_at = call.api.now();
        if (auto saved = call.api.store.update(Kind::kMember, member); !saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kMember, member, "member");
}

ApiResult<http::HttpResponse> remove(Call& call) {
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto pool = pool_of(call, Rule::kWrite);
        if (!pool) {
            return Unexpected(pool.error());
        }
        auto member = load_member(call, *pool);
        if (!member) {
            return Unexpected(member.error());
        }
        if (auto locked = lock_for_member_change(call, *pool); !locked) {
            return locked;
        }
        auto set = call.api.store.set_provisioning_status(Kind::kMember, member->id,
                                                          model::kPendingDelete, call.api.now());
        if (!set) {
            return storage_error(set.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return empty_response(204);
}

std::string member_key(const json& attrs) {
    return attrs["address"].get<std::string>() + "/" + attrs["protocol_port"].dump();
}

// A batch member update as sent: the desired members (validated) and the items as given.
struct BatchRequest {
    std::vector<json> wanted;
    std::vector<json> given;
    bool additive_only = false;
};

ApiResult<BatchRequest> read_batch(const Call& call) {
    auto body = parse_body(call);
    if (!body) {
        return Unexpected(body.error());
    }
    if (!body->is_object() || !body->contains("members") || !(*body)["members"].is_array()) {
        return api_error(400, model::invalid_input("members", "None", "Mandatory field missing."));
    }
    for (const auto& [key, value] : body->items()) {
        if (key != "members") {
            return api_error(400, "Unknown attribute for argument members_: " + key);
        }
    }
    BatchRequest out;
    for (const auto& [key, value] : call.request.query_params) {
        if (key == "additive_only") {
            out.additive_only = parse_bool(value).value_or(false);
        }
    }
    std::set<std::string> keys;
    for (const auto& item : (*body)["members"]) {
        if (!item.is_object()) {
            return api_error(400, model::invalid_input("members", item.dump(),
                                                       "Wrong type. Expected '<class 'dict'>'"));
        }
        auto attrs = validate_create(item);
        if (!attrs) {
            return Unexpected(attrs.error());
        }
        if (!keys.insert(member_key(*attrs)).second) {
            return model::validation_failure(
                "Member must be updated only once in the same "
                "request.");
        }
        out.wanted.push_back(std::move(*attrs));
        out.given.push_back(item);
    }
    return out;
}

// What a batch does to a pool's members, keyed by (address, port) as Octavia: listed and absent
// ones are created, listed and present ones updated, present and unlisted ones deleted (unless
// additive_only).
struct BatchPlan {
    std::vector<json> create;
    std::vector<TreeObject> update;
    std::vector<std::string> remove;

    bool empty() const { return create.empty() && update.empty() && remove.empty(); }
};

BatchPlan plan_batch(const BatchRequest& request, const std::vector<TreeObject>& existing,
                     const std::string& now) {
    std::map<std::string, TreeObject> current;
    for (const auto& m : existing) {
        current[member_key(m.attrs)] = m;
    }
    BatchPlan plan;
    for (size_t i = 0; i < request.wanted.size(); ++i) {
        const json& attrs = request.wanted[i];
        auto it = current.find(member_key(attrs));
        if (it == current.end()) {
            plan.create.push_back(attrs);
            continue;
        }
        // As the reference: the listed member's settings are reset to what the item says
        // (defaults when absent), but its name and tags only change when given.
        TreeObject updated = it->second;
        for (const char* key : {"admin_state_up", "weight", "backup", "monitor_address",
                                "monitor_port", "name", "tags"}) {
            bool keep = (std::string(key) == "name" || std::string(key) == "tags") &&
                        !request.given[i].contains(key);
            if (!keep) {
                updated.attrs[key] = attrs[key];
            }
        }
        updated.provisioning_status = model::kPendingUpdate;
        updated.updated_at = now;
        plan.update.push_back(std::move(updated));
        current.erase(it);
    }
    if (!request.additive_only) {
        for (const auto& [key, m] : current) {
            plan.remove.push_back(m.id);
        }
    }
    return plan;
}

// Inside the transaction, the pool locked. As Octavia: quota for the net growth, then the subnets
// of the new members only (an existing member's subnet is immutable), then the writes.
ApiResult<void> apply_batch(Call& call, const TreeObject& pool, const BatchPlan& plan) {
    auto growth =
        static_cast<int64_t>(plan.create.size()) - static_cast<int64_t>(plan.remove.size());
    if (auto ok = check_quota(call, pool.project_id, {{Kind::kMember, growth}}); !ok) {
        return ok;
    }
    std::set<std::string> checked;
    for (const auto& attrs : plan.create) {
        auto subnet = attrs.find("subnet_id");
        if (subnet != attrs.end() && subnet->is_string() && checked.insert(*subnet).second) {
            if (auto known = check_member_subnet(call, attrs); !known) {
                return known;
            }
        }
    }
    for (const auto& attrs : plan.create) {
        if (auto inserted = insert_member(call, pool, attrs); !inserted) {
            return Unexpected(inserted.error());
        }
    }
    for (const auto& member : plan.update) {
        if (auto saved = call.api.store.update(Kind::kMember, member); !saved) {
            return storage_error(saved.error());
        }
    }
    for (const auto& id : plan.remove) {
        auto set = call.api.store.set_provisioning_status(Kind::kMember, id, model::kPendingDelete,
                                                          call.api.now());
        if (!set) {
            return storage_error(set.error());
        }
    }
    return {};
}

// PUT /pools/{pool_id}/members: the list is the desired set.
ApiResult<http::HttpResponse> batch_update(Call& call) {
    auto request = read_batch(call);
    if (!request) {
        return Unexpected(request.error());
    }
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto pool = pool_of(call, Rule::kWrite);
        if (!pool) {
            return Unexpected(pool.error());
        }
        auto existing = call.api.store.by_parent(Kind::kMember, pool->id);
        if (!existing) {
            return storage_error(existing.error());
        }
        BatchPlan plan = plan_batch(*request, *existing, call.api.now());
        if (plan.empty()) {
            return {};
        }
        if (auto locked = lock_for_member_change(call, *pool); !locked) {
            return locked;
        }
        return apply_batch(call, *pool, plan);
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return empty_response(202);
}

}  // namespace

ApiResult<void> check_member_subnet(Call& call, const json& attrs) {
    auto it = attrs.find("subnet_id");
    if (it == attrs.end() || !it->is_string()) {
        return {};
    }
    auto known =
        call.api.network.check_subnet(it->get<std::string>(), network_caller(call.context));
    if (!known) {
        return api_error(known.error().status, known.error().message);
    }
    return {};
}

ApiResult<TreeObject> insert_member(Call& call, const TreeObject& pool, json attrs) {
    auto siblings = call.api.store.by_parent(Kind::kMember, pool.id);
    if (!siblings) {
        return storage_error(siblings.error());
    }
    for (const auto& other : *siblings) {
        if (other.attrs["address"] == attrs["address"] &&
            other.attrs["protocol_port"] == attrs["protocol_port"]) {
            return api_error(409, "Another member on this pool is already using ip " +
                                      attrs["address"].get<std::string>() + " on protocol_port " +
                                      attrs["protocol_port"].dump());
        }
    }
    auto monitors = call.api.store.by_parent(Kind::kHealthMonitor, pool.id);
    if (!monitors) {
        return storage_error(monitors.error());
    }
    TreeObject member;
    member.id = make_uuid();
    member.project_id = pool.project_id;
    member.load_balancer_id = pool.load_balancer_id;
    member.parent_id = pool.id;
    member.provisioning_status = model::kPendingCreate;
    member.operating_status = monitors->empty() ? model::kNoMonitor : model::kOffline;
    member.created_at = call.api.now();
    strip_non_attributes(attrs, {"project_id", "tenant_id", "request_sriov"});
    attrs["vnic_type"] = "normal";
    member.attrs = std::move(attrs);
    if (auto inserted = call.api.store.insert(Kind::kMember, member); !inserted) {
        return storage_error(inserted.error());
    }
    return member;
}

void add_member_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/pools/{pool_id}/members";
    router.add("GET", base, [](Call& call) -> ApiResult<http::HttpResponse> {
        auto pool = pool_of(call, Rule::kRead);
        if (!pool) {
            return Unexpected(pool.error());
        }
        return list(call, Kind::kMember, "members", "members_links", "parent_id = ?", {pool->id},
                    true);
    });
    router.add("POST", base, create);
    router.add("PUT", base, batch_update);
    router.add("GET", base + "/{id}", [](Call& call) -> ApiResult<http::HttpResponse> {
        auto pool = pool_of(call, Rule::kRead);
        if (!pool) {
            return Unexpected(pool.error());
        }
        auto member = load_member(call, *pool);
        if (!member) {
            return Unexpected(member.error());
        }
        return show(call, Kind::kMember, *member, "member");
    });
    router.add("PUT", base + "/{id}", update);
    router.add("DELETE", base + "/{id}", remove);
}

}  // namespace octane::api::v2
