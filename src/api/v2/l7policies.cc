#include <algorithm>

#include "api/v2/quota_check.h"
#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "common/uuid.h"
#include "model/field_validation.h"
#include "model/resource_specs.h"
#include "model/rules.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

const model::ResourceSpec& spec() {
    return model::l7policy_spec();
}

ApiResult<void> check_listener_supports_l7(const TreeObject& listener) {
    std::string protocol = listener.attrs["protocol"];
    if (protocol == "PROMETHEUS") {
        return api_error(400, "Protocol PROMETHEUS listeners cannot have child objects.");
    }
    if (protocol != "HTTP" && protocol != "TERMINATED_HTTPS") {
        return model::unsupported_option(protocol +
                                         " protocol listeners do not support L7 policies");
    }
    return {};
}

ApiResult<void> check_redirect_pool(Call& call, const TreeObject& listener, const json& policy) {
    if (!policy["redirect_pool_id"].is_string()) {
        return {};
    }
    auto pool = call.api.store.get(Kind::kPool, policy["redirect_pool_id"]);
    if (!pool) {
        return storage_error(pool.error());
    }
    if (!*pool || (*pool)->load_balancer_id != listener.load_balancer_id) {
        return model::not_found("Pool", policy["redirect_pool_id"]);
    }
    return model::check_pool_protocol(listener.attrs["protocol"], (*pool)->attrs["protocol"]);
}

// Positions are a 1..N list per listener: moving or inserting one shifts the others.
ApiResult<int64_t> place(Call& call, const std::string& listener_id, const std::string& self_id,
                         int64_t requested) {
    auto siblings = call.api.store.by_parent(Kind::kL7Policy, listener_id);
    if (!siblings) {
        return storage_error(siblings.error());
    }
    std::vector<TreeObject> others;
    for (auto& p : *siblings) {
        if (p.id != self_id) {
            others.push_back(std::move(p));
        }
    }
    std::sort(others.begin(), others.end(), [](const TreeObject& a, const TreeObject& b) {
        return a.attrs.value("position", 0) < b.attrs.value("position", 0);
    });
    int64_t position = std::min<int64_t>(requested, static_cast<int64_t>(others.size()) + 1);
    int64_t next = 1;
    for (auto& other : others) {
        if (next == position) {
            ++next;
        }
        if (other.attrs.value("position", 0) != next) {
            other.attrs["position"] = next;
            if (auto saved = call.api.store.update(Kind::kL7Policy, other); !saved) {
                return storage_error(saved.error());
            }
        }
        ++next;
    }
    return position;
}

ApiResult<http::HttpResponse> create(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPost, "l7policy", "l7policy_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* attrs = &body->attrs;
    TreeObject policy;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto listener = load(call, Kind::kListener, (*attrs)["listener_id"]);
        if (!listener) {
            return Unexpected(listener.error());
        }
        if (auto ok = authorize(call.context, Rule::kWrite, listener->project_id); !ok) {
            return ok;
        }
        // Rules given inline are created with the policy and count against their own quota.
        auto inline_rules = attrs->value("rules", json::array());
        auto rule_count = static_cast<int64_t>(inline_rules.is_array() ? inline_rules.size() : 0);
        if (auto ok = check_quota(call, listener->project_id,
                                  {{Kind::kL7Policy, 1}, {Kind::kL7Rule, rule_count}});
            !ok) {
            return ok;
        }
        auto locked = lock_load_balancer(call, listener->load_balancer_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        if (auto marked = mark_pending_update(call, Kind::kListener, {listener->id}); !marked) {
            return marked;
        }
        auto inserted = insert_l7policy(call, *listener, *attrs);
        if (!inserted) {
            return Unexpected(inserted.error());
        }
        policy = std::move(*inserted);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kL7Policy, policy, "l7policy", 201);
}

ApiResult<http::HttpResponse> update(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPut, "l7policy", "l7policy_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* changes = &body->attrs;
    TreeObject policy;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto loaded = load_authorized(call, Kind::kL7Policy, call.param("id"), Rule::kWrite);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        policy = std::move(*loaded);
        auto listener = load(call, Kind::kListener, policy.parent_id);
        if (!listener) {
            return Unexpected(listener.error());
        }
        json merged = policy.attrs;
        for (const auto& [key, value] : changes->items()) {
            merged[key] = value;
        }
        if (auto ok = model::normalize_l7policy(merged, true, *changes); !ok) {
            return ok;
        }
        if (auto ok = check_redirect_pool(call, *listener, merged); !ok) {
            return ok;
        }
        auto locked = lock_load_balancer(call, listener->load_balancer_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        if (auto marked = mark_pending_update(call, Kind::kListener, {listener->id}); !marked) {
            return marked;
        }
        if (changes->contains("position")) {
            auto position = place(call, listener->id, policy.id, merged["position"]);
            if (!position) {
                return Unexpected(position.error());
            }
            merged["position"] = *position;
        }
        policy.attrs = std::move(merged);
        policy.provisioning_status = model::kPendingUpdate;
        policy.updated_at = call.api.now();
        if (auto saved = call.api.store.update(Kind::kL7Policy, policy); !saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kL7Policy, policy, "l7policy");
}

ApiResult<http::HttpResponse> remove(Call& call) {
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto policy = load_authorized(call, Kind::kL7Policy, call.param("id"), Rule::kWrite);
        if (!policy) {
            return Unexpected(policy.error());
        }
        auto locked = lock_load_balancer(call, policy->load_balancer_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        if (auto marked = mark_pending_update(call, Kind::kListener, {policy->parent_id});
            !marked) {
            return marked;
        }
        auto set = call.api.store.set_provisioning_status(Kind::kL7Policy, policy->id,
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

}  // namespace

ApiResult<TreeObject> insert_l7policy(Call& call, const TreeObject& listener, json attrs) {
    if (auto ok = check_listener_supports_l7(listener); !ok) {
        return Unexpected(ok.error());
    }
    json given = attrs;
    if (auto ok = model::normalize_l7policy(attrs, false, given); !ok) {
        return Unexpected(ok.error());
    }
    if (auto ok = check_redirect_pool(call, listener, attrs); !ok) {
        return Unexpected(ok.error());
    }
    TreeObject policy;
    policy.id = make_uuid();
    auto position = place(call, listener.id, policy.id, attrs["position"]);
    if (!position) {
        return Unexpected(position.error());
    }
    attrs["position"] = *position;
    json rules = attrs.value("rules", json::array());
    policy.project_id = listener.project_id;
    policy.load_balancer_id = listener.load_balancer_id;
    policy.parent_id = listener.id;
    policy.provisioning_status = model::kPendingCreate;
    policy.operating_status = model::kOffline;
    policy.created_at = call.api.now();
    strip_non_attributes(attrs,
                         {"listener_id", "project_id", "tenant_id", "rules", "redirect_pool"});
    policy.attrs = std::move(attrs);
    if (auto inserted = call.api.store.insert(Kind::kL7Policy, policy); !inserted) {
        return storage_error(inserted.error());
    }
    for (const auto& rule : rules) {
        auto rule_attrs = model::validate_fields(model::l7rule_spec(), rule, model::Mode::kPost,
                                                 "l7policy_.l7policy.rules");
        if (!rule_attrs) {
            return Unexpected(rule_attrs.error());
        }
        if (auto added = insert_l7rule(call, policy, *rule_attrs); !added) {
            return Unexpected(added.error());
        }
    }
    return policy;
}

void add_l7policy_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/l7policies";
    router.add("GET", base, [](Call& call) {
        return list(call, Kind::kL7Policy, "l7policies", "l7policies_links", "", {}, false);
    });
    router.add("POST", base, create);
    router.add("GET", base + "/{id}", [](Call& call) -> ApiResult<http::HttpResponse> {
        auto policy = load_authorized(call, Kind::kL7Policy, call.param("id"), Rule::kRead);
        if (!policy) {
            return Unexpected(policy.error());
        }
        return show(call, Kind::kL7Policy, *policy, "l7policy");
    });
    router.add("PUT", base + "/{id}", update);
    router.add("DELETE", base + "/{id}", remove);
}

}  // namespace octane::api::v2
