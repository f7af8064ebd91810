#include "controller/worker/completion.h"

#include <algorithm>
#include <map>
#include <set>

#include "model/statuses.h"

namespace octane::controller {
namespace {

using model::Kind;
using nlohmann::json;
using Action = StatusChange::Action;

bool deleting(const db::TreeObject& o) {
    return o.provisioning_status == model::kPendingDelete;
}

std::string admin_operating_status(const db::TreeObject& o) {
    return o.attrs.value("admin_state_up", true) ? model::kOnline : model::kOffline;
}

void plan_delete_everything(const LoadBalancerTree& t, std::vector<StatusChange>& out) {
    auto drop = [&](Kind kind, const std::vector<db::TreeObject>& objects) {
        for (const auto& o : objects) {
            out.push_back({kind, o.id, Action::kDelete});
        }
    };
    drop(Kind::kL7Rule, t.l7rules);
    drop(Kind::kL7Policy, t.l7policies);
    drop(Kind::kMember, t.members);
    drop(Kind::kHealthMonitor, t.health_monitors);
    drop(Kind::kListener, t.listeners);
    drop(Kind::kPool, t.pools);
    out.push_back({Kind::kLoadBalancer, t.load_balancer.id, Action::kSetStatus, model::kDeleted,
                   model::kOffline});
}

}  // namespace

std::vector<StatusChange> plan_success(const LoadBalancerTree& t) {
    std::vector<StatusChange> out;
    if (deleting(t.load_balancer)) {
        plan_delete_everything(t, out);
        return out;
    }
    // Which objects go away: the PENDING_DELETE ones and everything under them.
    std::set<std::string> gone;
    for (const auto* group :
         {&t.listeners, &t.pools, &t.members, &t.health_monitors, &t.l7policies, &t.l7rules}) {
        for (const auto& o : *group) {
            if (deleting(o)) {
                gone.insert(o.id);
            }
        }
    }
    for (const auto* group : {&t.l7policies, &t.members, &t.health_monitors, &t.l7rules}) {
        for (const auto& o : *group) {
            if (gone.count(o.parent_id)) {
                gone.insert(o.id);
            }
        }
    }
    std::set<std::string> pools_losing_monitor;
    for (const auto& hm : t.health_monitors) {
        if (gone.count(hm.id) && !gone.count(hm.parent_id)) {
            pools_losing_monitor.insert(hm.parent_id);
        }
    }
    auto settle = [&](Kind kind, const std::vector<db::TreeObject>& objects, bool admin_operating) {
        for (const auto& o : objects) {
            if (gone.count(o.id)) {
                out.push_back({kind, o.id, Action::kDelete});
            } else if (model::is_pending(o.provisioning_status)) {
                out.push_back({kind, o.id, Action::kSetStatus, model::kActive,
                               admin_operating ? admin_operating_status(o) : ""});
            }
        }
    };
    settle(Kind::kL7Rule, t.l7rules, true);
    settle(Kind::kL7Policy, t.l7policies, true);
    settle(Kind::kHealthMonitor, t.health_monitors, true);
    for (const auto& m : t.members) {
        if (gone.count(m.id)) {
            out.push_back({Kind::kMember, m.id, Action::kDelete});
            continue;
        }
        std::string operating = pools_losing_monitor.count(m.parent_id) ? model::kNoMonitor : "";
        if (model::is_pending(m.provisioning_status) || !operating.empty()) {
            out.push_back({Kind::kMember, m.id, Action::kSetStatus,
                           model::is_pending(m.provisioning_status) ? model::kActive : "",
                           operating});
        }
    }
    // Listeners whose default pool goes away lose it; L7 positions close up.
    for (const auto& l : t.listeners) {
        if (gone.count(l.id)) {
            continue;
        }
        const json pool = l.attrs.value("default_pool_id", json());
        if (pool.is_string() && gone.count(pool.get<std::string>())) {
            json attrs = l.attrs;
            attrs["default_pool_id"] = nullptr;
            out.push_back({Kind::kListener, l.id, Action::kUpdateAttrs, "", "", attrs});
        }
        std::vector<const db::TreeObject*> policies;
        for (const auto& p : t.l7policies) {
            if (p.parent_id == l.id && !gone.count(p.id)) {
                policies.push_back(&p);
            }
        }
        std::sort(policies.begin(), policies.end(), [](auto* a, auto* b) {
            return a->attrs.value("position", 0) < b->attrs.value("position", 0);
        });
        for (size_t i = 0; i < policies.size(); ++i) {
            if (policies[i]->attrs.value("position", 0) != static_cast<int64_t>(i + 1)) {
                json attrs = policies[i]->attrs;
                attrs["position"] = i + 1;
                out.push_back(
                    {Kind::kL7Policy, policies[i]->id, Action::kUpdateAttrs, "", "", attrs});
            }
        }
    }
    settle(Kind::kListener, t.listeners, false);
    settle(Kind::kPool, t.pools, false);
    out.push_back(
        {Kind::kLoadBalancer, t.load_balancer.id, Action::kSetStatus, model::kActive, ""});
    return out;
}

std::vector<StatusChange> plan_failure(const LoadBalancerTree& t) {
    std::vector<StatusChange> out;
    const auto& lb = t.load_balancer;
    bool children_pending = false;
    std::set<std::string> parents_of_pending;
    auto mark_parents = [&](const std::vector<db::TreeObject>& objects) {
        for (const auto& o : objects) {
            if (model::is_pending(o.provisioning_status)) {
                children_pending = true;
                parents_of_pending.insert(o.parent_id);
            }
        }
    };
    for (const auto* group :
         {&t.listeners, &t.pools, &t.members, &t.health_monitors, &t.l7policies, &t.l7rules}) {
        mark_parents(*group);
    }
    bool own_change = lb.provisioning_status != model::kPendingUpdate || t.failover_requested ||
                      !children_pending;
    auto settle = [&](Kind kind, const std::vector<db::TreeObject>& objects) {
        for (const auto& o : objects) {
            if (!model::is_pending(o.provisioning_status)) {
                continue;
            }
            bool only_a_parent =
                o.provisioning_status == model::kPendingUpdate && parents_of_pending.count(o.id);
            out.push_back({kind, o.id, Action::kSetStatus,
                           only_a_parent ? model::kActive : model::kError, ""});
        }
    };
    if (lb.provisioning_status != model::kPendingDelete) {
        settle(Kind::kListener, t.listeners);
        settle(Kind::kPool, t.pools);
        settle(Kind::kMember, t.members);
        settle(Kind::kHealthMonitor, t.health_monitors);
        settle(Kind::kL7Policy, t.l7policies);
        settle(Kind::kL7Rule, t.l7rules);
    }
    out.push_back({Kind::kLoadBalancer, lb.id, Action::kSetStatus,
                   own_change ? model::kError : model::kActive, ""});
    return out;
}

}  // namespace octane::controller
