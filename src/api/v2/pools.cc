#include "api/v2/quota_check.h"
#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "common/uuid.h"
#include "model/field_validation.h"
#include "model/resource_specs.h"
#include "model/rules.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

const model::ResourceSpec& spec() {
    return model::pool_spec();
}

const char* kDefaultCiphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES128-GCM-SHA256";

void apply_tls_defaults(json& attrs) {
    if (!attrs.value("tls_enabled", false)) {
        return;
    }
    if (attrs["tls_ciphers"].is_null()) {
        attrs["tls_ciphers"] = kDefaultCiphers;
    }
    if (attrs["tls_versions"].is_null()) {
        attrs["tls_versions"] = {"TLSv1.2", "TLSv1.3"};
    }
    if (attrs["alpn_protocols"].is_null()) {
        attrs["alpn_protocols"] = {"http/1.1", "http/1.0"};
    }
}

ApiResult<http::HttpResponse> create(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPost, "pool", "pool_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* attrs = &body->attrs;
    if ((*attrs)["loadbalancer_id"].is_null() && (*attrs)["listener_id"].is_null()) {
        return model::validation_failure(
            "Must provide at least one of: loadbalancer_id, "
            "listener_id");
    }
    TreeObject pool;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        std::optional<TreeObject> listener;
        std::string lb_id;
        if ((*attrs)["listener_id"].is_string()) {
            auto loaded = load(call, Kind::kListener, (*attrs)["listener_id"]);
            if (!loaded) {
                return Unexpected(loaded.error());
            }
            listener = std::move(*loaded);
            lb_id = listener->load_balancer_id;
        } else {
            lb_id = (*attrs)["loadbalancer_id"];
        }
        auto lb = load(call, Kind::kLoadBalancer, lb_id);
        if (!lb) {
            return Unexpected(lb.error());
        }
        if (auto ok = authorize(call.context, Rule::kWrite, lb->project_id); !ok) {
            return Unexpected(ok.error());
        }
        if (auto ok = check_quota(call, lb->project_id, {{Kind::kPool, 1}}); !ok) {
            return ok;
        }
        auto locked = lock_load_balancer(call, lb_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        auto inserted = insert_pool(call, *locked, listener ? &*listener : nullptr, *attrs);
        if (!inserted) {
            return Unexpected(inserted.error());
        }
        pool = std::move(*inserted);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kPool, pool, "pool", 201);
}

ApiResult<http::HttpResponse> update(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPut, "pool", "pool_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* changes = &body->attrs;
    TreeObject pool;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto loaded = load_authorized(call, Kind::kPool, call.param("id"), Rule::kWrite);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        pool = std::move(*loaded);
        json merged = pool.attrs;
        for (const auto& [key, value] : changes->items()) {
            if (key == "session_persistence") {
                auto sp = model::normalize_session_persistence(value, pool.attrs["protocol"],
                                                               pool.attrs[key]);
                if (!sp) {
                    return Unexpected(sp.error());
                }
                merged[key] = *sp;
            } else {
                merged[key] = value;
            }
        }
        if (auto ok = model::check_pool(merged); !ok) {
            return Unexpected(ok.error());
        }
        if (!merged["crl_container_ref"].is_null() && merged["ca_tls_container_ref"].is_null()) {
            return model::validation_failure(
                "A CA reference cannot be removed when a certificate revocation list is "
                "present.");
        }
        if (auto ok = check_tls_refs(call, *changes, true); !ok) {
            return ok;
        }
        apply_tls_defaults(merged);
        auto locked = lock_load_balancer(call, pool.load_balancer_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        auto users = listeners_using_pool(call, pool);
        if (!users) {
            return Unexpected(users.error());
        }
        if (auto marked = mark_pending_update(call, Kind::kListener, *users); !marked) {
            return marked;
        }
        pool.attrs = std::move(merged);
        pool.provisioning_status = model::kPendingUpdate;
        pool.updated_at = call.api.now();
        if (auto saved = call.api.store.update(Kind::kPool, pool); !saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kPool, pool, "pool");
}

ApiResult<http::HttpResponse> remove(Call& call) {
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto pool = load_authorized(call, Kind::kPool, call.param("id"), Rule::kWrite);
        if (!pool) {
            return Unexpected(pool.error());
        }
        auto policies = call.api.store.by_load_balancer(Kind::kL7Policy, pool->load_balancer_id);
        if (!policies) {
            return storage_error(policies.error());
        }
        for (const auto& policy : *policies) {
            if (policy.attrs["redirect_pool_id"] == pool->id) {
                return api_error(409, "Pool " + pool->id + " is in use by L7 policy " + policy.id);
            }
        }
        auto locked = lock_load_balancer(call, pool->load_balancer_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        auto users = listeners_using_pool(call, *pool);
        if (!users) {
            return Unexpected(users.error());
        }
        if (auto marked = mark_pending_update(call, Kind::kListener, *users); !marked) {
            return marked;
        }
        auto set = call.api.store.set_provisioning_status(Kind::kPool, pool->id,
                                                          model::kPendingDelete, call.api.now());
        if (!set) {
            return storage_error(set.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return empty_response(204);
}

}  // namespace

ApiResult<TreeObject> insert_pool(Call& call, const TreeObject& lb, const TreeObject* listener,
                                  json attrs) {
    if (auto ok = model::check_pool(attrs); !ok) {
        return Unexpected(ok.error());
    }
    if (auto ok = check_tls_refs(call, attrs, true); !ok) {
        return Unexpected(ok.error());
    }
    auto sp = model::normalize_session_persistence(attrs["session_persistence"], attrs["protocol"],
                                                   nullptr);
    if (!sp) {
        return Unexpected(sp.error());
    }
    attrs["session_persistence"] = *sp;
    apply_tls_defaults(attrs);
    TreeObject pool;
    pool.id = make_uuid();
    if (listener) {
        if (auto ok = model::check_pool_protocol(listener->attrs["protocol"], attrs["protocol"]);
            !ok) {
            return Unexpected(ok.error());
        }
        if (listener->attrs["default_pool_id"].is_string()) {
            return api_error(409, "This listener already has a default pool");
        }
        TreeObject updated = *listener;
        updated.attrs["default_pool_id"] = pool.id;
        if (!model::is_pending(updated.provisioning_status)) {
            updated.provisioning_status = model::kPendingUpdate;
        }
        if (auto saved = call.api.store.update(Kind::kListener, updated); !saved) {
            return storage_error(saved.error());
        }
    }
    pool.project_id = lb.project_id;
    pool.load_balancer_id = lb.id;
    pool.parent_id = lb.id;
    pool.provisioning_status = model::kPendingCreate;
    pool.operating_status = model::kOffline;
    pool.created_at = call.api.now();
    strip_non_attributes(attrs, {"loadbalancer_id", "listener_id", "project_id", "tenant_id",
                                 "healthmonitor", "members"});
    pool.attrs = std::move(attrs);
    if (auto inserted = call.api.store.insert(Kind::kPool, pool); !inserted) {
        return storage_error(inserted.error());
    }
    return pool;
}

void add_pool_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/pools";
    router.add("GET", base, [](Call& call) {
        return list(call, Kind::kPool, "pools", "pools_links", "", {}, false);
    });
    router.add("POST", base, create);
    router.add("GET", base + "/{id}", [](Call& call) -> ApiResult<http::HttpResponse> {
        auto pool = load_authorized(call, Kind::kPool, call.param("id"), Rule::kRead);
        if (!pool) {
            return Unexpected(pool.error());
        }
        return show(call, Kind::kPool, *pool, "pool");
    });
    router.add("PUT", base + "/{id}", update);
    router.add("DELETE", base + "/{id}", remove);
}

}  // namespace octane::api::v2
