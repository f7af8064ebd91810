#include "api/v2/quota_check.h"
#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "api/views.h"
#include "db/quota_repository.h"
#include "model/field_validation.h"
#include "model/quota.h"
#include "model/resource_specs.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

// The configured defaults ([quotas] default_*_quota; Octavia ships -1 = unlimited).
json default_quota(const Call& call) {
    json q = json::object();
    for (Kind kind : model::kAllKinds) {
        q[std::string(model::quota_key(kind))] = call.api.settings.quota_defaults.of(kind);
    }
    return q;
}

// Both spellings of the two misspelled keys appear in responses and are accepted on PUT.
json with_aliases(json q, const std::string& project) {
    q["load_balancer"] = q["loadbalancer"];
    q["health_monitor"] = q["healthmonitor"];
    q["project_id"] = project;
    q["tenant_id"] = project;
    return q;
}

// The limits as GET shows them, by the rule the create paths enforce (model::effective_quota):
// a stored value wins, else the configured default.
ApiResult<json> stored_quota(Call& call, const std::string& project) {
    auto row = stored_quota_row(call, project);
    if (!row) {
        return Unexpected(row.error());
    }
    json q = json::object();
    for (Kind kind : model::kAllKinds) {
        q[std::string(model::quota_key(kind))] =
            model::effective_quota(*row, kind, call.api.settings.quota_defaults);
    }
    return q;
}

ApiResult<http::HttpResponse> list_quotas(Call& call) {
    bool global = allowed(call.context, Rule::kReadQuotaGlobal, std::nullopt);
    std::optional<std::string> project_filter;
    for (const auto& [key, value] : call.request.query_params) {
        if (key == "project_id" || key == "tenant_id") {
            project_filter = value;
        } else if (key != "fields" && key != "limit" && key != "marker" && key != "sort" &&
                   key != "sort_key" && key != "sort_dir" && key != "page_reverse") {
            return api_error(400, "One or more arguments are either duplicate or invalid");
        }
    }
    if (!global) {
        project_filter = project_filter.value_or(call.context.project_id.value_or(""));
        if (auto ok = authorize(call.context, Rule::kReadQuota, project_filter); !ok) {
            return Unexpected(ok.error());
        }
    }
    db::QuotaRepository quotas(call.api.db);
    auto projects = quotas.projects(project_filter);
    if (!projects) {
        return storage_error(projects.error());
    }
    // The list shows what each project set; values never set are null (the defaults apply).
    json items = json::array();
    for (const auto& project : *projects) {
        auto stored = quotas.get(project);
        if (!stored) {
            return storage_error(stored.error());
        }
        json q = default_quota(call);
        json custom = stored->value_or(json::object());
        for (auto it = q.begin(); it != q.end(); ++it) {
            it.value() = custom.contains(it.key()) ? custom[it.key()] : json(nullptr);
        }
        items.push_back(with_aliases(q, project));
    }
    return json_response(200, {{"quotas", items}, {"quotas_links", json::array()}});
}

ApiResult<http::HttpResponse> show_quota(Call& call) {
    std::string project = call.param("project_id");
    if (auto ok = authorize(call.context, Rule::kReadQuota, project); !ok) {
        return Unexpected(ok.error());
    }
    auto q = stored_quota(call, project);
    if (!q) {
        return Unexpected(q.error());
    }
    return json_response(200, {{"quota", with_aliases(*q, project)}});
}

ApiResult<http::HttpResponse> update_quota(Call& call) {
    std::string project = call.param("project_id");
    if (auto ok = authorize(call.context, Rule::kWriteQuota, project); !ok) {
        return Unexpected(ok.error());
    }
    auto body = parse_body(call);
    if (!body) {
        return Unexpected(body.error());
    }
    auto given = model::unwrap(*body, "quota", "quotas");
    if (!given) {
        return Unexpected(given.error());
    }
    auto changes =
        model::validate_fields(model::quota_spec(), *given, model::Mode::kPut, "quotas.quota");
    if (!changes) {
        return Unexpected(changes.error());
    }
    json normalized = json::object();
    for (const auto& [key, value] : changes->items()) {
        std::string name = key == "load_balancer"    ? "loadbalancer"
                           : key == "health_monitor" ? "healthmonitor"
                                                     : key;
        normalized[name] = value;
    }
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        db::QuotaRepository quotas(call.api.db);
        auto rows = quotas.get(project);
        if (!rows) {
            return storage_error(rows.error());
        }
        json stored = rows->value_or(json::object());
        for (const auto& [key, value] : normalized.items()) {
            stored[key] = value;
        }
        auto saved = quotas.save(project, stored);
        if (!saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    auto q = stored_quota(call, project);
    if (!q) {
        return Unexpected(q.error());
    }
    return json_response(202, {{"quota", with_aliases(*q, project)}});
}

ApiResult<http::HttpResponse> reset_quota(Call& call) {
    std::string project = call.param("project_id");
    if (auto ok = authorize(call.context, Rule::kWriteQuota, project); !ok) {
        return Unexpected(ok.error());
    }
    // One statement: the row is gone or was never there.
    auto removed = db::QuotaRepository(call.api.db).remove(project);
    if (!removed) {
        return storage_error(removed.error());
    }
    if (!*removed) {
        return model::not_found("Quota", project);
    }
    return empty_response(202);
}

const json& providers() {
    static const json p =
        json::array({{{"name", "amphora"}, {"description", "The Octavia Amphora driver."}},
                     {{"name", "octavia"},
                      {"description", "Deprecated alias of the Octavia Amphora driver."}}});
    return p;
}

ApiResult<http::HttpResponse> capabilities(Call& call, const json& all, const char* key) {
    if (auto ok = authorize(call.context, Rule::kAdmin, call.context.project_id); !ok) {
        return Unexpected(ok.error());
    }
    std::string provider = call.param("provider");
    bool known = false;
    for (const auto& p : providers()) {
        known = known || p["name"] == provider;
    }
    if (!known) {
        return api_error(400, "Provider '" + provider + "' is not enabled.");
    }
    auto q = parse_list_query(call.request.query_params);
    if (!q) {
        return Unexpected(q.error());
    }
    json items = json::array();
    for (const auto& item : all) {
        bool keep = true;
        for (const auto& [k, v] : call.request.query_params) {
            if ((k == "name" || k == "description") && item[k] != v) {
                keep = false;
            }
        }
        if (keep) {
            items.push_back(select_fields(item, q->fields));
        }
    }
    return json_response(200, {{key, items}});
}

}  // namespace

void add_quota_routes(ApiRouter& router, const std::string& prefix) {
    router.add("GET", prefix + "/quotas", list_quotas);
    router.add("GET", prefix + "/quotas/{project_id}", show_quota);
    router.add("PUT", prefix + "/quotas/{project_id}", update_quota);
    router.add("DELETE", prefix + "/quotas/{project_id}", reset_quota);
    router.add(
        "GET", prefix + "/quotas/{project_id}/default",
        [](Call& call) -> ApiResult<http::HttpResponse> {
            std::string project = call.param("project_id");
            if (auto ok = authorize(call.context, Rule::kReadQuota, project); !ok) {
                return Unexpected(ok.error());
            }
            return json_response(200, {{"quota", with_aliases(default_quota(call), project)}});
        });
}

void add_provider_routes(ApiRouter& router, const std::string& prefix) {
    router.add("GET", prefix + "/providers", [](Call& call) -> ApiResult<http::HttpResponse> {
        if (auto ok = authorize(call.context, Rule::kRead, call.context.project_id); !ok) {
            return Unexpected(ok.error());
        }
        auto q = parse_list_query(call.request.query_params);
        json items = json::array();
        for (const auto& p : providers()) {
            items.push_back(select_fields(p, q ? q->fields : std::vector<std::string>{}));
        }
        return json_response(200, {{"providers", items}});
    });
    static const json flavor_caps = json::array(
        {{{"name", "loadbalancer_topology"},
          {"description",
           "The load balancer topology. One of: SINGLE - One amphora per load "
           "balancer. ACTIVE_STANDBY - Two amphora per load balancer."}},
         {{"name", "compute_flavor"}, {"description", "The compute driver flavor ID."}},
         {{"name", "amp_image_tag"}, {"description", "The amphora image tag."}},
         {{"name", "sriov_vip"},
          {"description", "When true, the VIP port will be created using an SR-IOV VF port."}},
         {{"name", "allow_member_sriov"},
          {"description", "When true, users can request SR-IOV member ports."}}});
    static const json zone_caps =
        json::array({{{"name", "compute_zone"}, {"description", "The compute availability zone."}},
                     {{"name", "management_network"},
                      {"description", "The management network ID for the amphora."}},
                     {{"name", "valid_vip_networks"},
                      {"description", "List of network IDs that are allowed for VIP use."}}});
    router.add("GET", prefix + "/providers/{provider}/flavor_capabilities",
               [](Call& call) { return capabilities(call, flavor_caps, "flavor_capabilities"); });
    router.add(
        "GET", prefix + "/providers/{provider}/availability_zone_capabilities",
        [](Call& call) { return capabilities(call, zone_caps, "availability_zone_capabilities"); });
}

}  // namespace octane::api::v2
