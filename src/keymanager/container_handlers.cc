// /v1/containers (create, list, get, delete) and the ACL of a secret or a container.

#include <nlohmann/json.hpp>

#include "common/uuid.h"
#include "keymanager/barbican_views.h"

namespace octane::keymanager {
namespace {

using nlohmann::json;

http::HttpResponse no_content(int status = 204) {
    http::HttpResponse response;
    response.status = status;
    response.body.clear();
    return response;
}

}  // namespace

http::HttpResponse BarbicanService::create_container(Call& call) {
    const std::string op = "Container creation";
    if (!allowed(Action::kCreate, call.subject, nullptr, true)) {
        return forbidden(op);
    }
    if (call.request.body.size() > kMaxRequestBytes) {
        return km_fault(issue(op, 413, "Provided information too large to process"));
    }
    json body = json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        return km_fault({400, "Malformed JSON"});
    }
    auto parsed = parse_new_container(body, call.v1 + "/secrets/");
    if (!parsed) {
        return km_fault(parsed.error());
    }
    // As Barbican: every secret must exist in the caller's project.
    for (const auto& ref : parsed->secret_refs) {
        auto secret = secrets_.get(ref.secret_id);
        if (!secret) {
            return internal_error(op, secret.error());
        }
        if (!*secret || (**secret).project_id != call.subject.project_id) {
            return km_fault({404, "Secret provided for '" + ref.name + "' doesn't exist."});
        }
    }
    ContainerRow row;
    row.id = make_uuid();
    row.project_id = call.subject.project_id;
    row.creator_id = call.subject.user_id;
    row.name = parsed->name;
    row.type = parsed->type;
    row.secret_refs = parsed->secret_refs;
    row.created = row.updated = now();
    if (auto done = containers_.create(row); !done) {
        return internal_error(op, done.error());
    }
    auto response = km_json(201, {{"container_ref", call.v1 + "/containers/" + row.id}});
    response.headers.emplace_back("Location", call.v1 + "/containers/" + row.id);
    return response;
}

http::HttpResponse BarbicanService::list_containers(Call& call) {
    const std::string op = "Containers(s) retrieval";
    if (!allowed(Action::kList, call.subject, nullptr, true)) {
        return forbidden(op);
    }
    const Page page = page_of(call.request);
    const std::string name = call.request.query_value("name").value_or("");
    auto listed = containers_.list(call.subject.project_id, name, page);
    if (!listed) {
        return internal_error(op, listed.error());
    }
    json items = json::array();
    for (const auto& container : listed->first) {
        items.push_back(container_json(container, call.v1));
    }
    return km_json(200,
                   page_json("containers", std::move(items), listed->second, page, call.v1, name));
}

Result<BarbicanService::FoundContainer, http::HttpResponse> BarbicanService::find_container(
    Call& call) {
    const std::string& id = call.params.at("id");
    if (!is_uuid(id)) {
        return Unexpected(km_fault({404, "Not Found. Provided container id is invalid."}));
    }
    auto found = containers_.get(id);
    if (!found) {
        return Unexpected(internal_error("Container retrieval", found.error()));
    }
    if (!*found) {
        return Unexpected(km_fault({404, "Secrets container not found."}));
    }
    auto acl_row = acls_.get(id);
    if (!acl_row) {
        return Unexpected(internal_error("Container retrieval", acl_row.error()));
    }
    Target target{(**found).project_id, (**found).creator_id, acl_row->acl};
    return FoundContainer{std::move(**found), std::move(target)};
}

Result<BarbicanService::FoundContainer, http::HttpResponse> BarbicanService::permitted_container(
    Call& call, Action action, const std::string& operation) {
    auto found = find_container(call);
    if (found && !allowed(action, call.subject, &found->target, true)) {
        return Unexpected(forbidden(operation));
    }
    return found;
}

http::HttpResponse BarbicanService::show_container(Call& call) {
    auto found = permitted_container(call, Action::kGet, "Container retrieval");
    if (!found) {
        return found.error();
    }
    return km_json(200, container_json(found->row, call.v1));
}

http::HttpResponse BarbicanService::delete_container(Call& call) {
    const std::string op = "Container deletion";
    auto found = permitted_container(call, Action::kDelete, op);
    if (!found) {
        return found.error();
    }
    if (auto done = containers_.remove(found->row.id); !done) {
        return internal_error(op, done.error());
    }
    if (auto done = acls_.remove(found->row.id); !done) {
        return internal_error(op, done.error());
    }
    return no_content();
}

http::HttpResponse BarbicanService::container_acl(Call& call) {
    auto found = find_container(call);
    return found ? acl(call, found->row.id, true, found->target) : found.error();
}

http::HttpResponse BarbicanService::acl(Call& call, const std::string& id, bool is_container,
                                        const Target& target) {
    const std::string entity = is_container ? "ContainerACL(s)" : "SecretACL(s)";
    const std::string method = call.request.method == "HEAD" ? "GET" : call.request.method;
    const std::string op = entity + (method == "GET"      ? " retrieval"
                                     : method == "DELETE" ? " deletion"
                                                          : " Update");
    if (!allowed(Action::kAcl, call.subject, &target, is_container)) {
        return forbidden(op);
    }
    auto current = acls_.get(id);
    if (!current) {
        return internal_error(op, current.error());
    }
    if (method == "GET") {
        return km_json(200, acl_json(*current));
    }
    if (method == "DELETE") {
        if (auto done = acls_.remove(id); !done) {
            return internal_error(op, done.error());
        }
        return no_content(200);
    }
    json body = json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        return km_fault({400, "Malformed JSON"});
    }
    auto acl = parse_acl(body, current->acl, method == "PATCH", op);
    if (!acl) {
        return km_fault(acl.error());
    }
    if (auto done = acls_.put(id, *acl, now()); !done) {
        return internal_error(op, done.error());
    }
    const std::string ref = call.v1 + (is_container ? "/containers/" : "/secrets/") + id + "/acl";
    return km_json(200, {{"acl_ref", ref}});
}

}  // namespace octane::keymanager
