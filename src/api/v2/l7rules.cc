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

constexpr size_t kMaxRulesPerPolicy = 50;

const model::ResourceSpec& spec() {
    return model::l7rule_spec();
}

ApiResult<TreeObject> policy_of(Call& call, Rule rule) {
    return load_authorized(call, Kind::kL7Policy, call.param("l7policy_id"), rule);
}

ApiResult<TreeObject> load_rule(Call& call, const TreeObject& policy) {
    auto rule = load(call, Kind::kL7Rule, call.param("id"));
    if (!rule || rule->parent_id != policy.id) {
        return model::not_found("L7 Rule", call.param("id"));
    }
    return rule;
}

ApiResult<void> lock_for_rule_change(Call& call, const TreeObject& policy) {
    // The parent's own state is checked first, as Octavia does.
    if (auto ok = require_active(policy, Kind::kL7Policy); !ok) {
        return ok;
    }
    auto locked = lock_load_balancer(call, policy.load_balancer_id);
    if (!locked) {
        return Unexpected(locked.error());
    }
    if (auto marked = mark_pending_update(call, Kind::kListener, {policy.parent_id}); !marked) {
        return marked;
    }
    return mark_pending_update(call, Kind::kL7Policy, {policy.id});
}

template <typename Change>
ApiResult<http::HttpResponse> change(Call& call, Change&& body, int status) {
    TreeObject rule;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto policy = policy_of(call, Rule::kWrite);
        if (!policy) {
            return Unexpected(policy.error());
        }
        auto changed = body(*policy);
        if (!changed) {
            return Unexpected(changed.error());
        }
        rule = std::move(*changed);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    if (status == 204) {
        return empty_response(204);
    }
    return show(call, Kind::kL7Rule, rule, "rule", status);
}

ApiResult<http::HttpResponse> create(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPost, "rule", "rule_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* attrs = &body->attrs;
    return change(
        call,
        [&](const TreeObject& policy) -> ApiResult<TreeObject> {
            if (auto ok = check_quota(call, policy.project_id, {{Kind::kL7Rule, 1}}); !ok) {
                return Unexpected(ok.error());
            }
            if (auto locked = lock_for_rule_change(call, policy); !locked) {
                return Unexpected(locked.error());
            }
            return insert_l7rule(call, policy, *attrs);
        },
        201);
}

ApiResult<http::HttpResponse> update(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPut, "rule", "rule_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* changes = &body->attrs;
    return change(
        call,
        [&](const TreeObject& policy) -> ApiResult<TreeObject> {
            auto rule = load_rule(call, policy);
            if (!rule) {
                return rule;
            }
            json merged = rule->attrs;
            for (const auto& [key, value] : changes->items()) {
                merged[key] = value;
            }
            if (auto ok = model::check_l7rule(merged); !ok) {
                return Unexpected(ok.error());
            }
            if (auto locked = lock_for_rule_change(call, policy); !locked) {
                return Unexpected(locked.error());
            }
            rule->attrs = std::move(merged);
            rule->provisioning_status = model::kPendingUpdate;
            rule->updated_at = call.api.now();
            if (auto saved = call.api.store.update(Kind::kL7Rule, *rule); !saved) {
                return storage_error(saved.error());
            }
            return rule;
        },
        200);
}

ApiResult<http::HttpResponse> remove(Call& call) {
    return change(
        call,
        [&](const TreeObject& policy) -> ApiResult<TreeObject> {
            auto rule = load_rule(call, policy);
            if (!rule) {
                return rule;
            }
            if (auto locked = lock_for_rule_change(call, policy); !locked) {
                return Unexpected(locked.error());
            }
            auto set = call.api.store.set_provisioning_status(
                Kind::kL7Rule, rule->id, model::kPendingDelete, call.api.now());
            if (!set) {
                return storage_error(set.error());
            }
            return rule;
        },
        204);
}

}  // namespace

ApiResult<TreeObject> insert_l7rule(Call& call, const TreeObject& policy, json attrs) {
    if (auto ok = model::check_l7rule(attrs); !ok) {
        return Unexpected(ok.error());
    }
    auto siblings = call.api.store.by_parent(Kind::kL7Rule, policy.id);
    if (!siblings) {
        return storage_error(siblings.error());
    }
    if (siblings->size() >= kMaxRulesPerPolicy) {
        return api_error(409, "Too many rules on L7 policy " + policy.id);
    }
    TreeObject rule;
    rule.id = make_uuid();
    rule.project_id = policy.project_id;
    rule.load_balancer_id = policy.load_balancer_id;
    rule.parent_id = policy.id;
    rule.provisioning_status = model::kPendingCreate;
    rule.operating_status = model::kOffline;
    rule.created_at = call.api.now();
    strip_non_attributes(attrs, {"project_id", "tenant_id"});
    rule.attrs = std::move(attrs);
    if (auto inserted = call.api.store.insert(Kind::kL7Rule, rule); !inserted) {
        return storage_error(inserted.error());
    }
    return rule;
}

void add_l7rule_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/l7policies/{l7policy_id}/rules";
    router.add("GET", base, [](Call& call) -> ApiResult<http::HttpResponse> {
        auto policy = policy_of(call, Rule::kRead);
        if (!policy) {
            return Unexpected(policy.error());
        }
        return list(call, Kind::kL7Rule, "rules", "rules_links", "parent_id = ?", {policy->id},
                    true);
    });
    router.add("POST", base, create);
    router.add("GET", base + "/{id}", [](Call& call) -> ApiResult<http::HttpResponse> {
        auto policy = policy_of(call, Rule::kRead);
        if (!policy) {
            return Unexpected(policy.error());
        }
        auto rule = load_rule(call, *policy);
        if (!rule) {
            return Unexpected(rule.error());
        }
        return show(call, Kind::kL7Rule, *rule, "rule");
    });
    router.add("PUT", base + "/{id}", update);
    router.add("DELETE", base + "/{id}", remove);
}

}  // namespace octane::api::v2
