#include <set>

#include "controller/worker/completion.h"
#include "model/statuses.h"

namespace octane::controller {
namespace {

using nlohmann::json;

json shape(const db::TreeObject& o) {
    json out = o.attrs;
    out["id"] = o.id;
    out["project_id"] = o.project_id;
    out["provisioning_status"] = o.provisioning_status;
    out["operating_status"] = o.operating_status;
    return out;
}

bool kept(const db::TreeObject& o) {
    return o.provisioning_status != model::kPendingDelete;
}

}  // namespace

// Pools are listed once at load balancer level and referenced by id from listeners
// (default_pool_id) and L7 policies (redirect_pool_id): the renderer's input contract.
json desired_graph(const LoadBalancerTree& t) {
    json lb = shape(t.load_balancer);
    lb["listeners"] = json::array();
    lb["pools"] = json::array();
    std::set<std::string> gone;
    for (const auto* group : {&t.listeners, &t.pools, &t.l7policies, &t.health_monitors}) {
        for (const auto& o : *group) {
            if (!kept(o)) {
                gone.insert(o.id);
            }
        }
    }
    for (const auto& l : t.listeners) {
        if (!kept(l)) {
            continue;
        }
        json listener = shape(l);
        if (listener["default_pool_id"].is_string() && gone.count(listener["default_pool_id"])) {
            listener["default_pool_id"] = nullptr;
        }
        listener["l7policies"] = json::array();
        for (const auto& p : t.l7policies) {
            if (p.parent_id != l.id || !kept(p)) {
                continue;
            }
            json policy = shape(p);
            policy["listener_id"] = l.id;
            policy["rules"] = json::array();
            for (const auto& r : t.l7rules) {
                if (r.parent_id == p.id && kept(r)) {
                    policy["rules"].push_back(shape(r));
                }
            }
            listener["l7policies"].push_back(std::move(policy));
        }
        lb["listeners"].push_back(std::move(listener));
    }
    for (const auto& p : t.pools) {
        if (!kept(p)) {
            continue;
        }
        json pool = shape(p);
        pool["healthmonitor"] = nullptr;
        pool["members"] = json::array();
        for (const auto& hm : t.health_monitors) {
            if (hm.parent_id == p.id && kept(hm)) {
                pool["healthmonitor"] = shape(hm);
            }
        }
        for (const auto& m : t.members) {
            if (m.parent_id == p.id && kept(m)) {
                pool["members"].push_back(shape(m));
            }
        }
        lb["pools"].push_back(std::move(pool));
    }
    return lb;
}

}  // namespace octane::controller
