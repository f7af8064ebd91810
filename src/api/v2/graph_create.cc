#include <map>

#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "api/views.h"
#include "model/field_validation.h"
#include "model/resource_specs.h"
#include "model/rules.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

constexpr const char* kArgument = "load_balancer.loadbalancer";

bool is_reference(const json& pool) {
    return pool.is_object() && pool.size() == 1 && pool.contains("name");
}

// Pools of the request by name: top-level ones and full definitions nested under listeners.
ApiResult<std::map<std::string, json>> collect_pools(const json& body) {
    std::map<std::string, json> pools;
    auto add = [&](const json& pool) -> ApiResult<void> {
        if (!pool.is_object()) {
            return api_error(400, model::invalid_input("pools", pool.dump(),
                                                       "Wrong type. Expected '<class 'dict'>'"));
        }
        if (!pool.contains("name") || !pool["name"].is_string()) {
            return api_error(400, "Missing details for pool object: pools must have a name");
        }
        if (is_reference(pool)) {
            return {};
        }
        if (!pools.emplace(pool["name"].get<std::string>(), pool).second) {
            return model::validation_failure(
                "Pool names must be unique when creating a fully populated loadbalancer.");
        }
        return {};
    };
    for (const auto& pool : body.value("pools", json::array())) {
        if (auto ok = add(pool); !ok) {
            return Unexpected(ok.error());
        }
    }
    for (const auto& listener : body.value("listeners", json::array())) {
        if (listener.is_object() && listener.contains("default_pool")) {
            if (auto ok = add(listener["default_pool"]); !ok) {
                return Unexpected(ok.error());
            }
        }
        if (!listener.is_object()) {
            continue;
        }
        for (const auto& policy : listener.value("l7policies", json::array())) {
            if (policy.is_object() && policy.contains("redirect_pool")) {
                if (auto ok = add(policy["redirect_pool"]); !ok) {
                    return Unexpected(ok.error());
                }
            }
        }
    }
    return pools;
}

ApiResult<TreeObject> create_pool(Call& call, const TreeObject& lb, const json& given,
                                  const TreeObject* listener) {
    json body = given;
    body.erase("healthmonitor");
    body.erase("members");
    auto attrs = model::validate_fields(model::pool_spec(), body, model::Mode::kPost,
                                        std::string(kArgument) + ".pools");
    if (!attrs) {
        return Unexpected(attrs.error());
    }
    auto pool = insert_pool(call, lb, listener, *attrs);
    if (!pool) {
        return pool;
    }
    if (given.contains("healthmonitor") && !given["healthmonitor"].is_null()) {
        json hm = given["healthmonitor"];
        hm["pool_id"] = pool->id;
        auto hm_attrs = model::validate_fields(model::health_monitor_spec(), hm, model::Mode::kPost,
                                               std::string(kArgument) + ".pools.healthmonitor");
        if (!hm_attrs) {
            return Unexpected(hm_attrs.error());
        }
        if (auto added = insert_health_monitor(call, *pool, *hm_attrs); !added) {
            return Unexpected(added.error());
        }
    }
    for (const auto& member : given.value("members", json::array())) {
        auto m_attrs = model::validate_fields(model::member_spec(), member, model::Mode::kPost,
                                              std::string(kArgument) + ".pools.members");
        if (!m_attrs) {
            return Unexpected(m_attrs.error());
        }
        if (auto known = check_member_subnet(call, *m_attrs); !known) {
            return Unexpected(known.error());
        }
        if (auto added = insert_member(call, *pool, *m_attrs); !added) {
            return Unexpected(added.error());
        }
    }
    return pool;
}

}  // namespace

ApiResult<void> create_graph(Call& call, const TreeObject& lb, const json& body) {
    if (!body.contains("listeners") && !body.contains("pools")) {
        return {};
    }
    auto definitions = collect_pools(body);
    if (!definitions) {
        return Unexpected(definitions.error());
    }
    std::map<std::string, TreeObject> created;  // by name
    // Pools defined as a listener's default pool are created with that listener (they become
    // its default); the rest first, so references resolve.
    auto ensure_pool = [&](const std::string& name,
                           const TreeObject* listener) -> ApiResult<TreeObject> {
        auto it = created.find(name);
        if (it != created.end()) {
            return it->second;
        }
        auto def = definitions->find(name);
        if (def == definitions->end()) {
            return model::validation_failure("Pool '" + name +
                                             "' was referenced but no full definition was found.");
        }
        auto pool = create_pool(call, lb, def->second, listener);
        if (!pool) {
            return pool;
        }
        created[name] = *pool;
        return pool;
    };
    for (const auto& listener_body : body.value("listeners", json::array())) {
        if (!listener_body.is_object()) {
            return api_error(400, model::invalid_input("listeners", listener_body.dump(),
                                                       "Wrong type. Expected '<class 'dict'>'"));
        }
        json plain = listener_body;
        plain.erase("default_pool");
        plain.erase("l7policies");
        plain["loadbalancer_id"] = lb.id;
        auto attrs = model::validate_fields(model::listener_spec(), plain, model::Mode::kPost,
                                            std::string(kArgument) + ".listeners");
        if (!attrs) {
            return Unexpected(attrs.error());
        }
        auto listener = insert_listener(call, lb, *attrs);
        if (!listener) {
            return Unexpected(listener.error());
        }
        if (listener_body.contains("default_pool")) {
            std::string name = listener_body["default_pool"]["name"];
            auto pool = ensure_pool(name, nullptr);
            if (!pool) {
                return Unexpected(pool.error());
            }
            if (auto ok = model::check_pool_protocol(listener->attrs["protocol"],
                                                     pool->attrs["protocol"]);
                !ok) {
                return ok;
            }
            listener->attrs["default_pool_id"] = pool->id;
            if (auto saved = call.api.store.update(model::Kind::kListener, *listener); !saved) {
                return storage_error(saved.error());
            }
        }
        for (const auto& policy_body : listener_body.value("l7policies", json::array())) {
            json plain_policy = policy_body;
            plain_policy.erase("redirect_pool");
            plain_policy["listener_id"] = listener->id;
            if (policy_body.contains("redirect_pool")) {
                auto pool = ensure_pool(policy_body["redirect_pool"]["name"], nullptr);
                if (!pool) {
                    return Unexpected(pool.error());
                }
                plain_policy["redirect_pool_id"] = pool->id;
            }
            auto p_attrs =
                model::validate_fields(model::l7policy_spec(), plain_policy, model::Mode::kPost,
                                       std::string(kArgument) + ".listeners.l7policies");
            if (!p_attrs) {
                return Unexpected(p_attrs.error());
            }
            if (auto added = insert_l7policy(call, *listener, *p_attrs); !added) {
                return Unexpected(added.error());
            }
        }
    }
    for (const auto& [name, def] : *definitions) {
        if (auto pool = ensure_pool(name, nullptr); !pool) {
            return Unexpected(pool.error());
        }
    }
    return {};
}

}  // namespace octane::api::v2

namespace octane::api::v2 {

// The response of POST /loadbalancers: listeners and pools as full objects (Octavia's
// LoadBalancerFullResponse), with L7 policies, rules, members and health monitors expanded.
ApiResult<json> render_full_graph(Call& call, const TreeObject& lb) {
    auto& store = call.api.store;
    auto expand = [&](Kind kind, const std::vector<TreeObject>& objects) -> ApiResult<json> {
        auto relations = relations_for(store, kind, objects);
        if (!relations) {
            return storage_error(relations.error());
        }
        json out = json::array();
        for (const auto& o : objects) {
            out.push_back(render(kind, o, (*relations)[o.id]));
        }
        return out;
    };
    auto lb_relations = relations_for(store, Kind::kLoadBalancer, {lb});
    if (!lb_relations) {
        return storage_error(lb_relations.error());
    }
    json out = render(Kind::kLoadBalancer, lb, (*lb_relations)[lb.id]);
    auto listeners = store.by_load_balancer(Kind::kListener, lb.id);
    auto pools = store.by_load_balancer(Kind::kPool, lb.id);
    auto policies = store.by_load_balancer(Kind::kL7Policy, lb.id);
    auto rules = store.by_load_balancer(Kind::kL7Rule, lb.id);
    auto members = store.by_load_balancer(Kind::kMember, lb.id);
    auto monitors = store.by_load_balancer(Kind::kHealthMonitor, lb.id);
    if (!listeners || !pools || !policies || !rules || !members || !monitors) {
        return storage_error(Error{0, "cannot read the graph of " + lb.id});
    }
    auto full_listeners = expand(Kind::kListener, *listeners);
    auto full_pools = expand(Kind::kPool, *pools);
    auto full_policies = expand(Kind::kL7Policy, *policies);
    auto full_rules = expand(Kind::kL7Rule, *rules);
    auto full_members = expand(Kind::kMember, *members);
    auto full_monitors = expand(Kind::kHealthMonitor, *monitors);
    for (auto* r : {&full_listeners, &full_pools, &full_policies, &full_rules, &full_members,
                    &full_monitors}) {
        if (!*r) {
            return Unexpected(r->error());
        }
    }
    for (size_t i = 0; i < policies->size(); ++i) {
        json expanded = json::array();
        for (size_t j = 0; j < rules->size(); ++j) {
            if ((*rules)[j].parent_id == (*policies)[i].id) {
                expanded.push_back((*full_rules)[j]);
            }
        }
        (*full_policies)[i]["rules"] = expanded;
    }
    for (size_t i = 0; i < listeners->size(); ++i) {
        json expanded = json::array();
        for (size_t j = 0; j < policies->size(); ++j) {
            if ((*policies)[j].parent_id == (*listeners)[i].id) {
                expanded.push_back((*full_policies)[j]);
            }
        }
        (*full_listeners)[i]["l7policies"] = expanded;
    }
    for (size_t i = 0; i < pools->size(); ++i) {
        json expanded = json::array();
        for (size_t j = 0; j < members->size(); ++j) {
            if ((*members)[j].parent_id == (*pools)[i].id) {
                expanded.push_back((*full_members)[j]);
            }
        }
        (*full_pools)[i]["members"] = expanded;
        (*full_pools)[i]["healthmonitor"] = nullptr;
        for (size_t j = 0; j < monitors->size(); ++j) {
            if ((*monitors)[j].parent_id == (*pools)[i].id) {
                (*full_pools)[i]["healthmonitor"] = (*full_monitors)[j];
            }
        }
    }
    out["listeners"] = *full_listeners;
    out["pools"] = *full_pools;
    return out;
}

}  // namespace octane::api::v2
