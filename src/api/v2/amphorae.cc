#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "api/views.h"
#include "db/amphora_repository.h"
#include "db/amphora_stats_repository.h"
#include "db/failover_request_repository.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

json render_amphora(const db::AmphoraRecord& amphora) {
    json out = amphora.attrs;
    out["id"] = amphora.id;
    out["loadbalancer_id"] =
        amphora.load_balancer_id ? json(*amphora.load_balancer_id) : json(nullptr);
    out["status"] = amphora.status;
    out["created_at"] = amphora.created_at;
    out["updated_at"] = amphora.updated_at ? json(*amphora.updated_at) : json(nullptr);
    return out;
}

ApiResult<db::AmphoraRecord> load_amphora(Call& call) {
    auto found = db::AmphoraRepository(call.api.db).get_live(call.param("id"));
    if (!found) {
        return storage_error(found.error());
    }
    if (!*found) {
        return model::not_found("Amphora", call.param("id"));
    }
    return std::move(**found);
}

ApiResult<http::HttpResponse> list_amphorae(Call& call) {
    auto q = parse_list_query(call.request.query_params);
    if (!q) {
        return Unexpected(q.error());
    }
    for (const auto& filter : q->filters) {
        if (!db::AmphoraRepository::filterable(filter.first)) {
            return api_error(400, "One or more arguments are either duplicate or invalid");
        }
    }
    auto rows = db::AmphoraRepository(call.api.db).list_live(q->filters);
    if (!rows) {
        return storage_error(rows.error());
    }
    json items = json::array();
    for (const auto& row : *rows) {
        items.push_back(select_fields(render_amphora(row), q->fields));
    }
    return json_response(200, {{"amphorae", items}, {"amphorae_links", json::array()}});
}

// Failover of one amphora: the worker replaces it; its load balancer must be ACTIVE.
ApiResult<http::HttpResponse> failover_amphora(Call& call) {
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto amphora = load_amphora(call);
        if (!amphora) {
            return Unexpected(amphora.error());
        }
        std::string lb_id = amphora->load_balancer_id.value_or("");
        auto lb = load(call, Kind::kLoadBalancer, lb_id);
        if (!lb) {
            return Unexpected(lb.error());
        }
        if (lb->provisioning_status != model::kActive) {
            return api_error(409,
                             "Load Balancer " + lb_id + " is immutable and cannot be updated.");
        }
        auto set = call.api.store.set_provisioning_status(Kind::kLoadBalancer, lb_id,
                                                          model::kPendingUpdate, call.api.now());
        if (!set) {
            return storage_error(set.error());
        }
        auto requested =
            db::FailoverRequestRepository(call.api.db).request_amphora(lb_id, amphora->id);
        if (!requested) {
            return storage_error(requested.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return empty_response(202);
}

ApiResult<http::HttpResponse> amphora_stats(Call& call) {
    auto amphora = load_amphora(call);
    if (!amphora) {
        if (amphora.error().status == 404) {
            return api_error(404, "Amphora stats for " + call.param("id") + " not found.");
        }
        return Unexpected(amphora.error());
    }
    auto rows = db::AmphoraStatsRepository(call.api.db).of_amphora(amphora->id);
    if (!rows) {
        return storage_error(rows.error());
    }
    if (rows->empty()) {
        return api_error(404, "Amphora stats for " + amphora->id + " not found.");
    }
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", amphora->id},
                         {"listener_id", r.listener_id},
                         {"loadbalancer_id", r.load_balancer_id},
                         {"active_connections", r.active_connections},
                         {"bytes_in", r.bytes_in},
                         {"bytes_out", r.bytes_out},
                         {"request_errors", r.request_errors},
                         {"total_connections", r.total_connections}});
    }
    return json_response(200, {{"amphora_stats", items}});
}

ApiResult<http::HttpResponse> admin_only(Call& call,
                                         ApiResult<http::HttpResponse> (*handler)(Call&)) {
    if (auto ok = authorize(call.context, Rule::kAdmin, call.context.project_id); !ok) {
        return Unexpected(ok.error());
    }
    return handler(call);
}

}  // namespace

void add_amphora_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/amphorae";
    router.add("GET", base, [](Call& call) { return admin_only(call, list_amphorae); });
    router.add("GET", base + "/{id}", [](Call& call) {
        return admin_only(call, [](Call& c) -> ApiResult<http::HttpResponse> {
            auto amphora = load_amphora(c);
            if (!amphora) {
                return Unexpected(amphora.error());
            }
            auto q = parse_list_query(c.request.query_params);
            return json_response(
                200, {{"amphora", select_fields(render_amphora(*amphora),
                                                q ? q->fields : std::vector<std::string>{})}});
        });
    });
    router.add("DELETE", base + "/{id}", [](Call& call) {
        return admin_only(call, [](Call& c) -> ApiResult<http::HttpResponse> {
            auto amphora = load_amphora(c);
            if (!amphora) {
                return Unexpected(amphora.error());
            }
            if (amphora->status != model::kError) {
                return api_error(409,
                                 "Amphora " + amphora->id + " is immutable and cannot be updated.");
            }
            auto set = db::AmphoraRepository(c.api.db).mark_deleted(amphora->id, c.api.now());
            if (!set) {
                return storage_error(set.error());
            }
            return empty_response(204);
        });
    });
    router.add("PUT", base + "/{id}/failover",
               [](Call& call) { return admin_only(call, failover_amphora); });
    router.add("PUT", base + "/{id}/config", [](Call& call) {
        return admin_only(call, [](Call& c) -> ApiResult<http::HttpResponse> {
            auto amphora = load_amphora(c);
            if (!amphora) {
                return Unexpected(amphora.error());
            }
            return empty_response(202);
        });
    });
    router.add("GET", base + "/{id}/stats",
               [](Call& call) { return admin_only(call, amphora_stats); });
}

}  // namespace octane::api::v2
