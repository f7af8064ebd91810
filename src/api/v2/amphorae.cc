#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "api/views.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

json render_amphora(const db::Row& row) {
    json out = json::parse(row.text(5));
    out["id"] = row.text(0);
    out["loadbalancer_id"] = row.is_null(1) ? json(nullptr) : json(row.text(1));
    out["status"] = row.text(2);
    out["created_at"] = row.text(3);
    out["updated_at"] = row.is_null(4) ? json(nullptr) : json(row.text(4));
    return out;
}

const char* kColumns = "id, load_balancer_id, status, created_at, updated_at, attrs";

ApiResult<db::Row> load_amphora(Call& call) {
    auto rows = call.api.db.query(
        std::string("SELECT ") + kColumns + " FROM amphorae WHERE id = ? AND status != 'DELETED'",
        {call.param("id")});
    if (!rows) {
        return storage_error(rows.error());
    }
    if (rows->empty()) {
        return model::not_found("Amphora", call.param("id"));
    }
    return rows->front();
}

ApiResult<http::HttpResponse> list_amphorae(Call& call) {
    auto q = parse_list_query(call.request.query_params);
    if (!q) {
        return Unexpected(q.error());
    }
    std::string where = "status != 'DELETED'";
    std::vector<db::Value> params;
    for (const auto& [key, value] : q->filters) {
        if (key == "id" || key == "status") {
            where += " AND " + key + " = ?";
        } else if (key == "loadbalancer_id") {
            where += " AND load_balancer_id = ?";
        } else if (key == "project_id") {
            where +=
                " AND load_balancer_id IN (SELECT id FROM load_balancers WHERE project_id = ?)";
        } else if (key == "compute_id" || key == "lb_network_ip" || key == "role" ||
                   key == "ha_ip" || key == "vrrp_ip" || key == "cert_busy" || key == "image_id" ||
                   key == "compute_flavor") {
            where += " AND json_extract(attrs, '$." + key + "') = ?";
        } else {
            return api_error(400, "One or more arguments are either duplicate or invalid");
        }
        params.emplace_back(value);
    }
    auto rows = call.api.db.query(std::string("SELECT ") + kColumns + " FROM amphorae WHERE " +
                                      where + " ORDER BY created_at, id",
                                  params);
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
        std::string lb_id = amphora->text(1);
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
        auto requested = call.api.db.exec(
            "INSERT INTO failover_requests (load_balancer_id, amphora_id) VALUES (?, ?)"
            " ON CONFLICT (load_balancer_id) DO UPDATE SET amphora_id = excluded.amphora_id",
            {lb_id, amphora->text(0)});
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
    auto rows = call.api.db.query(
        "SELECT listener_id, load_balancer_id, active_connections, bytes_in, bytes_out, "
        "request_errors, total_connections FROM amphora_stats WHERE amphora_id = ?",
        {amphora->text(0)});
    if (!rows) {
        return storage_error(rows.error());
    }
    if (rows->empty()) {
        return api_error(404, "Amphora stats for " + amphora->text(0) + " not found.");
    }
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", amphora->text(0)},
                         {"listener_id", r.text(0)},
                         {"loadbalancer_id", r.text(1)},
                         {"active_connections", r.integer(2)},
                         {"bytes_in", r.integer(3)},
                         {"bytes_out", r.integer(4)},
                         {"request_errors", r.integer(5)},
                         {"total_connections", r.integer(6)}});
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
            if (amphora->text(2) != model::kError) {
                return api_error(
                    409, "Amphora " + amphora->text(0) + " is immutable and cannot be updated.");
            }
            auto set =
                c.api.db.exec("UPDATE amphorae SET status = 'DELETED', updated_at = ? WHERE id = ?",
                              {c.api.now(), amphora->text(0)});
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
