#include "api/v2/support.h"

#include <spdlog/spdlog.h>

#include "api/views.h"
#include "common/uuid.h"
#include "model/statuses.h"

namespace octane::api::v2 {

using model::api_error;
using nlohmann::json;

Unexpected<model::ApiError> storage_error(const Error& error) {
    spdlog::error("storage failure: {}", error.message);
    return api_error(500, "An unknown exception occurred.");
}

drivers::NetworkCaller network_caller(const RequestContext& context) {
    return {context.project_id, context.is_admin || context.roles.count("admin") > 0};
}

ApiResult<void> in_transaction(Call& call, const std::function<ApiResult<void>()>& body) {
    std::optional<model::ApiError> failure;
    auto done = call.api.db.transaction([&]() -> Result<void> {
        auto outcome = body();
        if (!outcome) {
            failure = outcome.error();
            return make_error("api rollback");
        }
        return {};
    });
    if (failure) {
        return Unexpected(*failure);
    }
    if (!done) {
        return storage_error(done.error());
    }
    return {};
}

ApiResult<ValidatedBody> read_body(const Call& call, const model::ResourceSpec& spec,
                                   model::Mode mode, const std::string& wrapper,
                                   const std::string& argument) {
    auto body = parse_body(call);
    if (!body) {
        return Unexpected(body.error());
    }
    auto given = model::unwrap(*body, wrapper, argument);
    if (!given) {
        return Unexpected(given.error());
    }
    auto attrs = model::validate_fields(
        spec, *given, mode, mode == model::Mode::kPost ? spec.post_argument : spec.put_argument);
    if (!attrs) {
        return Unexpected(attrs.error());
    }
    return ValidatedBody{std::move(*given), std::move(*attrs)};
}

ApiResult<TreeObject> load(Call& call, Kind kind, const std::string& id) {
    auto found = call.api.store.get(kind, id);
    if (!found) {
        return storage_error(found.error());
    }
    if (!*found ||
        (kind == Kind::kLoadBalancer && (*found)->provisioning_status == model::kDeleted)) {
        return model::not_found(model::display_name_of(kind), id);
    }
    return std::move(**found);
}

ApiResult<TreeObject> load_authorized(Call& call, Kind kind, const std::string& id, Rule rule) {
    auto object = load(call, kind, id);
    if (!object) {
        return object;
    }
    auto ok = authorize(call.context, rule, object->project_id);
    if (!ok) {
        return Unexpected(ok.error());
    }
    return object;
}

namespace {

// Octavia takes any string of up to 36 characters as a project id; one with a control character
// (a newline, say) is no id any identity service hands out, and it would reach the amphora's
// log-format, so it is refused.
ApiResult<std::string> checked_project(const std::string& field, const std::string& project) {
    for (unsigned char c : project) {
        if (c < 0x20 || c == 0x7f) {
            return api_error(400, model::invalid_input(field, project,
                                                       "Value must not contain control "
                                                       "characters"));
        }
    }
    return project;
}

}  // namespace

ApiResult<std::string> project_for_create(const Call& call, const json& body) {
    for (const char* key : {"project_id", "tenant_id"}) {
        auto it = body.find(key);
        if (it != body.end() && it->is_string() && !it->get<std::string>().empty()) {
            return checked_project(key, it->get<std::string>());
        }
    }
    if (call.context.project_id) {
        return checked_project("project_id", *call.context.project_id);
    }
    return model::validation_failure(
        "Missing project ID in request where one is required. An administrator should check "
        "the keystone settings in the Octavia configuration.");
}

ApiResult<TreeObject> lock_load_balancer(Call& call, const std::string& lb_id) {
    auto lb = load(call, Kind::kLoadBalancer, lb_id);
    if (!lb) {
        return lb;
    }
    if (lb->provisioning_status != model::kActive) {
        return api_error(409, "Load Balancer " + lb_id + " is immutable and cannot be updated.");
    }
    auto set = call.api.store.set_provisioning_status(Kind::kLoadBalancer, lb_id,
                                                      model::kPendingUpdate, call.api.now());
    if (!set) {
        return storage_error(set.error());
    }
    lb->provisioning_status = model::kPendingUpdate;
    return lb;
}

ApiResult<void> require_active(const TreeObject& object, Kind kind) {
    if (object.provisioning_status != model::kActive) {
        std::string name =
            kind == Kind::kL7Policy ? "L7Policy" : std::string(model::display_name_of(kind));
        return api_error(409, name + " " + object.id + " is immutable and cannot be updated.");
    }
    return {};
}

ApiResult<void> mark_pending_update(Call& call, Kind kind, const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
        auto object = call.api.store.get(kind, id);
        if (!object) {
            return storage_error(object.error());
        }
        // Objects already pending (created or deleted in this change) keep their status.
        if (*object && !model::is_pending((*object)->provisioning_status)) {
            auto set = call.api.store.set_provisioning_status(kind, id, model::kPendingUpdate,
                                                              call.api.now());
            if (!set) {
                return storage_error(set.error());
            }
        }
    }
    return {};
}

ApiResult<std::vector<std::string>> listeners_using_pool(Call& call, const TreeObject& pool) {
    auto relations = relations_for(call.api.store, Kind::kPool, {pool});
    if (!relations) {
        return storage_error(relations.error());
    }
    std::vector<std::string> out;
    for (const auto& item : (*relations)[pool.id]["listeners"]) {
        out.push_back(item["id"].get<std::string>());
    }
    return out;
}

ApiResult<http::HttpResponse> show(Call& call, Kind kind, const TreeObject& object,
                                   const std::string& wrapper, int status) {
    auto relations = relations_for(call.api.store, kind, {object});
    if (!relations) {
        return storage_error(relations.error());
    }
    auto query = parse_list_query(call.request.query_params);
    std::vector<std::string> fields = query ? query->fields : std::vector<std::string>{};
    json body = {{wrapper, select_fields(render(kind, object, (*relations)[object.id]), fields)}};
    return json_response(status, body);
}

void strip_non_attributes(json& attrs, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        attrs.erase(key);
    }
}

}  // namespace octane::api::v2
