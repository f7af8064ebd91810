#include "api/v2/support.h"
#include "api/views.h"
#include "http/http_message.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

std::string base_url(const Call& call) {
    if (!call.api.settings.api_base_uri.empty()) {
        std::string base = call.api.settings.api_base_uri;
        while (!base.empty() && base.back() == '/') {
            base.pop_back();
        }
        return base + call.request.path;
    }
    std::string host = call.request.host.empty() ? "127.0.0.1" : call.request.host;
    return "http://" + host + call.request.path;
}

json make_links(const Call& call, const ListQuery& q, int64_t limit,
                const std::vector<std::string>& ids) {
    json links = json::array();
    if (ids.empty()) {
        return links;
    }
    std::string common = "limit=" + std::to_string(limit);
    if (q.sort_given) {
        std::string sort;
        for (const auto& k : q.sort) {
            sort += (sort.empty() ? "" : ",") + k.name + ":" + (k.ascending ? "asc" : "desc");
        }
        common += "&sort=" + http::percent_encode(sort);
    }
    std::string base = base_url(call);
    if (q.marker) {
        links.push_back(
            {{"rel", "previous"},
             {"href", base + "?" + common + "&marker=" + ids.front() + "&page_reverse=True"}});
    }
    if (static_cast<int64_t>(ids.size()) >= limit) {
        links.push_back({{"rel", "next"}, {"href", base + "?" + common + "&marker=" + ids.back()}});
    }
    return links;
}

}  // namespace

ApiResult<http::HttpResponse> list(Call& call, Kind kind, const std::string& plural,
                                   const std::string& links_key, const std::string& scope_where,
                                   const std::vector<db::Value>& scope_params,
                                   bool scoped_by_parent) {
    auto q = parse_list_query(call.request.query_params);
    if (!q) {
        return Unexpected(q.error());
    }
    std::string where = scope_where;
    std::vector<db::Value> params = scope_params;
    if (kind == Kind::kLoadBalancer) {
        where += std::string(where.empty() ? "" : " AND ") + "provisioning_status != 'DELETED'";
    }
    if (!scoped_by_parent && !allowed(call.context, Rule::kReadGlobal, std::nullopt)) {
        std::optional<std::string> project = call.context.project_id;
        for (const auto& [key, value] : q->filters) {
            if (key == "project_id" || key == "tenant_id") {
                project = value;
            }
        }
        auto ok = authorize(call.context, Rule::kRead, project);
        if (!ok) {
            return Unexpected(ok.error());
        }
        where += std::string(where.empty() ? "" : " AND ") + "project_id = ?";
        params.emplace_back(project.value_or(""));
    }
    const auto& columns = columns_for(kind);
    auto sql = build_sql(*q, columns, where, params, call.api.settings.pagination_max_limit);
    if (!sql) {
        return Unexpected(sql.error());
    }
    auto keys = effective_sort(*q);
    if (q->marker) {
        std::string select;
        for (const auto& k : keys) {
            select += (select.empty() ? "" : ", ") + columns.at(k.name).sql;
        }
        // Only among what this caller may list: another project's id is as unknown as a typo.
        auto marker = call.api.store.row_values(kind, select, *q->marker, where, params);
        if (!marker) {
            return storage_error(marker.error());
        }
        if (!*marker) {
            return api_error(400, "Supplied pagination marker '" + *q->marker + "' is not valid.");
        }
        add_marker_condition(*sql, keys, columns, (*marker)->values, q->page_reverse);
    }
    auto rows = call.api.store.page(kind, sql->where, sql->order_by, sql->limit, sql->params);
    if (!rows) {
        return storage_error(rows.error());
    }
    if (q->page_reverse) {
        std::reverse(rows->begin(), rows->end());
    }
    std::vector<TreeObject> heads;
    heads.reserve(rows->size());
    for (const auto& row : *rows) {
        TreeObject head;
        head.id = row.text(0);
        head.load_balancer_id = row.text(2);
        head.parent_id = row.text(3);
        heads.push_back(std::move(head));
    }
    auto relations = relations_for(call.api.store, kind, heads);
    if (!relations) {
        return storage_error(relations.error());
    }
    std::string body = "{\"" + plural + "\": [";
    std::vector<std::string> ids;
    for (size_t i = 0; i < rows->size(); ++i) {
        const auto& row = (*rows)[i];
        body += i ? ", " : "";
        const json& rel = (*relations)[heads[i].id];
        if (q->fields.empty()) {
            body += render_text(kind, row, rel);
        } else {
            body +=
                select_fields(render(kind, db::ObjectStore::from_row(row), rel), q->fields).dump();
        }
        ids.push_back(heads[i].id);
    }
    body += "], \"" + links_key + "\": " + make_links(call, *q, sql->limit, ids).dump() + "}";
    http::HttpResponse response;
    response.body = std::move(body);
    return response;
}

}  // namespace octane::api::v2
