#include "controller/health/load_balancer_view.h"

#include <map>

#include "db/amphora_repository.h"
#include "db/object_store.h"

namespace octane::controller::health {
namespace {

using model::Kind;

bool admin_up(const db::TreeObject& o) {
    const auto it = o.attrs.find("admin_state_up");
    return it == o.attrs.end() || !it->is_boolean() || it->get<bool>();
}

Result<std::optional<LoadBalancerState>> load_state(db::ObjectStore& store,
                                                    const std::string& lb_id) {
    auto lb = store.get(Kind::kLoadBalancer, lb_id);
    if (!lb) {
        return Unexpected(lb.error());
    }
    if (!*lb) {
        return std::optional<LoadBalancerState>();
    }
    LoadBalancerState state{
        lb_id, admin_up(**lb), (*lb)->provisioning_status, (*lb)->operating_status, {}, {}};
    auto listeners = store.by_load_balancer(Kind::kListener, lb_id);
    auto pools = store.by_load_balancer(Kind::kPool, lb_id);
    auto members = store.by_load_balancer(Kind::kMember, lb_id);
    for (const auto* r : {&listeners, &pools, &members}) {
        if (!*r) {
            return Unexpected(r->error());
        }
    }
    for (const auto& l : *listeners) {
        state.listeners.push_back({l.id, admin_up(l), l.operating_status});
    }
    std::map<std::string, size_t> pool_index;
    for (const auto& p : *pools) {
        pool_index[p.id] = state.pools.size();
        state.pools.push_back({p.id, p.operating_status, {}});
    }
    for (const auto& m : *members) {
        auto it = pool_index.find(m.parent_id);
        if (it != pool_index.end()) {
            state.pools[it->second].members.push_back({m.id, m.operating_status});
        }
    }
    return std::optional<LoadBalancerState>(std::move(state));
}

}  // namespace

Result<std::optional<AmphoraView>> load_amphora_view(db::Database& db,
                                                     const std::string& amphora_id) {
    auto found = db::AmphoraRepository(db).get(amphora_id);
    if (!found) {
        return Unexpected(found.error());
    }
    if (!*found) {
        return std::optional<AmphoraView>();
    }
    const db::AmphoraRecord& amphora = **found;
    AmphoraView view{amphora.id, amphora.status, amphora.load_balancer_id.value_or(""),
                     std::nullopt};
    if (!view.load_balancer_id.empty()) {
        db::ObjectStore store(db);
        auto state = load_state(store, view.load_balancer_id);
        if (!state) {
            return Unexpected(state.error());
        }
        view.load_balancer = std::move(*state);
    }
    return std::optional<AmphoraView>(std::move(view));
}

}  // namespace octane::controller::health
