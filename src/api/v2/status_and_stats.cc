#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "api/views.h"
#include "db/amphora_stats_repository.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using nlohmann::json;

std::string name_of(const TreeObject& o) {
    const json name = o.attrs.value("name", json());
    return name.is_string() ? name.get<std::string>() : "";
}

json pool_status(const TreeObject& pool, const std::vector<TreeObject>& members,
                 const std::vector<TreeObject>& monitors) {
    json out = {{"id", pool.id},
                {"name", name_of(pool)},
                {"provisioning_status", pool.provisioning_status},
                {"operating_status", pool.operating_status},
                {"members", json::array()}};
    for (const auto& hm : monitors) {
        if (hm.parent_id == pool.id) {
            out["health_monitor"] = {{"id", hm.id},
                                     {"name", name_of(hm)},
                                     {"type", hm.attrs.value("type", json())},
                                     {"provisioning_status", hm.provisioning_status},
                                     {"operating_status", hm.operating_status}};
        }
    }
    for (const auto& m : members) {
        if (m.parent_id == pool.id) {
            out["members"].push_back({{"id", m.id},
                                      {"name", name_of(m)},
                                      {"operating_status", m.operating_status},
                                      {"provisioning_status", m.provisioning_status},
                                      {"address", m.attrs.value("address", json())},
                                      {"protocol_port", m.attrs.value("protocol_port", json())}});
        }
    }
    return out;
}

ApiResult<http::HttpResponse> status_tree(Call& call) {
    auto lb = load_authorized(call, Kind::kLoadBalancer, call.param("id"), Rule::kRead);
    if (!lb) {
        return Unexpected(lb.error());
    }
    auto& store = call.api.store;
    auto listeners = store.by_load_balancer(Kind::kListener, lb->id);
    auto pools = store.by_load_balancer(Kind::kPool, lb->id);
    auto members = store.by_load_balancer(Kind::kMember, lb->id);
    auto monitors = store.by_load_balancer(Kind::kHealthMonitor, lb->id);
    if (!listeners || !pools || !members || !monitors) {
        return storage_error(Error{0, "cannot read the status tree of " + lb->id});
    }
    auto relations = relations_for(store, Kind::kPool, *pools);
    if (!relations) {
        return storage_error(relations.error());
    }
    json tree = {{"id", lb->id},
                 {"name", name_of(*lb)},
                 {"operating_status", lb->operating_status},
                 {"provisioning_status", lb->provisioning_status},
                 {"listeners", json::array()}};
    for (const auto& listener : *listeners) {
        json entry = {{"id", listener.id},
                      {"name", name_of(listener)},
                      {"operating_status", listener.operating_status},
                      {"provisioning_status", listener.provisioning_status},
                      {"pools", json::array()}};
        for (const auto& pool : *pools) {
            for (const auto& user : (*relations)[pool.id]["listeners"]) {
                if (user["id"] == listener.id) {
                    entry["pools"].push_back(pool_status(pool, *members, *monitors));
                }
            }
        }
        tree["listeners"].push_back(std::move(entry));
    }
    return json_response(200, {{"statuses", {{"loadbalancer", tree}}}});
}

ApiResult<json> stats_body(const Result<db::ListenerStats>& total) {
    if (!total) {
        return storage_error(total.error());
    }
    return json{{"bytes_in", total->bytes_in},
                {"bytes_out", total->bytes_out},
                {"active_connections", total->active_connections},
                {"total_connections", total->total_connections},
                {"request_errors", total->request_errors}};
}

ApiResult<http::HttpResponse> load_balancer_stats(Call& call) {
    auto lb = load_authorized(call, Kind::kLoadBalancer, call.param("id"), Rule::kRead);
    if (!lb) {
        return Unexpected(lb.error());
    }
    auto stats = stats_body(db::AmphoraStatsRepository(call.api.db).total_of_load_balancer(lb->id));
    if (!stats) {
        return Unexpected(stats.error());
    }
    return json_response(200, {{"stats", *stats}});
}

}  // namespace

ApiResult<http::HttpResponse> listener_stats(Call& call) {
    auto listener = load_authorized(call, Kind::kListener, call.param("id"), Rule::kRead);
    if (!listener) {
        return Unexpected(listener.error());
    }
    auto stats =
        stats_body(db::AmphoraStatsRepository(call.api.db).total_of_listener(listener->id));
    if (!stats) {
        return Unexpected(stats.error());
    }
    return json_response(200, {{"stats", *stats}});
}

void add_status_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/loadbalancers/{id}";
    router.add("GET", base + "/status", status_tree);
    router.add("GET", base + "/statuses", status_tree);
    router.add("GET", base + "/stats", load_balancer_stats);
}

}  // namespace octane::api::v2
