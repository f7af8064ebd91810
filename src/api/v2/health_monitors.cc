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
    return model::health_monitor_spec();
}

ApiResult<void> lock_for_monitor_change(Call& call, const TreeObject& pool) {
    // The parent's own state is checked first, as Octavia does.
    if (auto ok = require_active(pool, Kind::kPool); !ok) {
        return ok;
    }
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
    return mark_pending_update(call, Kind::kPool, {pool.id});
}

ApiResult<http::HttpResponse> create(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPost, "healthmonitor", "health_monitor_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* attrs = &body->attrs;
    TreeObject monitor;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto pool = load(call, Kind::kPool, (*attrs)["pool_id"]);
        if (!pool) {
            return Unexpected(pool.error());
        }
        if (auto ok = authorize(call.context, Rule::kWrite, pool->project_id); !ok) {
            return Unexpected(ok.error());
        }
        if (auto ok = check_quota(call, pool->project_id, {{Kind::kHealthMonitor, 1}}); !ok) {
            return ok;
        }
        if (auto locked = lock_for_monitor_change(call, *pool); !locked) {
            return locked;
        }
        auto inserted = insert_health_monitor(call, *pool, *attrs);
        if (!inserted) {
            return Unexpected(inserted.error());
        }
        monitor = std::move(*inserted);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kHealthMonitor, monitor, "healthmonitor", 201);
}

ApiResult<http::HttpResponse> update(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPut, "healthmonitor", "health_monitor_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* changes = &body->attrs;
    TreeObject monitor;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto loaded = load_authorized(call, Kind::kHealthMonitor, call.param("id"), Rule::kWrite);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        monitor = std::move(*loaded);
        auto pool = load(call, Kind::kPool, monitor.parent_id);
        if (!pool) {
            return Unexpected(pool.error());
        }
        json merged = monitor.attrs;
        merged["type"] = monitor.attrs["type"];
        bool http = merged["type"] == "HTTP" || merged["type"] == "HTTPS";
        for (const auto& [key, value] : changes->items()) {
            merged[key] = value;
            // Octavia resets these HTTP fields to their defaults when cleared.
            if (value.is_null() && http) {
                if (key == "http_method") {
                    merged[key] = "GET";
                } else if (key == "url_path") {
                    merged[key] = "/";
                } else if (key == "expected_codes") {
                    merged[key] = "200";
                }
            }
        }
        json check = merged;
        if (!http) {
            for (const char* key : {"http_method", "url_path", "expected_codes"}) {
                if (!changes->contains(key)) {
                    check.erase(key);
                }
            }
        }
        if (auto ok = model::check_health_monitor(check, pool->attrs["protocol"]); !ok) {
            return ok;
        }
        if (auto locked = lock_for_monitor_change(call, *pool); !locked) {
            return locked;
        }
        monitor.attrs = std::move(merged);
        monitor.provisioning_status = model::kPendingUpdate;
        monitor.updated_at = call.api.now();
        if (auto saved = call.api.store.update(Kind::kHealthMonitor, monitor); !saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kHealthMonitor, monitor, "healthmonitor");
}

ApiResult<http::HttpResponse> remove(Call& call) {
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto monitor = load_authorized(call, Kind::kHealthMonitor, call.param("id"), Rule::kWrite);
        if (!monitor) {
            return Unexpected(monitor.error());
        }
        auto pool = load(call, Kind::kPool, monitor->parent_id);
        if (!pool) {
            return Unexpected(pool.error());
        }
        if (auto locked = lock_for_monitor_change(call, *pool); !locked) {
            return locked;
        }
        auto set = call.api.store.set_provisioning_status(Kind::kHealthMonitor, monitor->id,
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

ApiResult<TreeObject> insert_health_monitor(Call& call, const TreeObject& pool, json attrs) {
    auto existing = call.api.store.by_parent(Kind::kHealthMonitor, pool.id);
    if (!existing) {
        return storage_error(existing.error());
    }
    if (!existing->empty()) {
        return api_error(409, "This pool already has a health monitor");
    }
    if (auto ok = model::check_health_monitor(attrs, pool.attrs["protocol"]); !ok) {
        return Unexpected(ok.error());
    }
    model::fill_health_monitor_defaults(attrs);
    TreeObject monitor;
    monitor.id = make_uuid();
    monitor.project_id = pool.project_id;
    monitor.load_balancer_id = pool.load_balancer_id;
    monitor.parent_id = pool.id;
    monitor.provisioning_status = model::kPendingCreate;
    monitor.operating_status = model::kOffline;
    monitor.created_at = call.api.now();
    strip_non_attributes(attrs, {"pool_id", "project_id", "tenant_id"});
    monitor.attrs = std::move(attrs);
    if (auto inserted = call.api.store.insert(Kind::kHealthMonitor, monitor); !inserted) {
        return storage_error(inserted.error());
    }
    return monitor;
}

void add_health_monitor_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/healthmonitors";
    router.add("GET", base, [](Call& call) {
        return list(call, Kind::kHealthMonitor, "healthmonitors", "healthmonitors_links", "", {},
                    false);
    });
    router.add("POST", base, create);
    router.add("GET", base + "/{id}", [](Call& call) -> ApiResult<http::HttpResponse> {
        auto monitor = load_authorized(call, Kind::kHealthMonitor, call.param("id"), Rule::kRead);
        if (!monitor) {
            return Unexpected(monitor.error());
        }
        return show(call, Kind::kHealthMonitor, *monitor, "healthmonitor");
    });
    router.add("PUT", base + "/{id}", update);
    router.add("DELETE", base + "/{id}", remove);
}

}  // namespace octane::api::v2
