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
    return model::listener_spec();
}

const char* kDefaultCiphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:"
    "ECDHE-RSA-AES128-SHA256";

// TLS defaults are stored only for TLS-terminating listeners; others keep null.
void apply_tls_defaults(json& attrs) {
    if (attrs["protocol"] != "TERMINATED_HTTPS") {
        return;
    }
    if (attrs["tls_ciphers"].is_null()) {
        attrs["tls_ciphers"] = kDefaultCiphers;
    }
    if (attrs["tls_versions"].is_null()) {
        attrs["tls_versions"] = {"TLSv1.2", "TLSv1.3"};
    }
    if (attrs["alpn_protocols"].is_null()) {
        attrs["alpn_protocols"] = {"h2", "http/1.1", "http/1.0"};
    }
}

ApiResult<void> check_port_free(Call& call, const std::string& lb_id, const json& attrs,
                                const std::string& self_id) {
    auto siblings = call.api.store.by_load_balancer(Kind::kListener, lb_id);
    if (!siblings) {
        return storage_error(siblings.error());
    }
    std::string l4 = model::l4_protocol_of(attrs["protocol"]);
    for (const auto& other : *siblings) {
        if (other.id != self_id && other.attrs["protocol_port"] == attrs["protocol_port"] &&
            model::l4_protocol_of(other.attrs["protocol"]) == l4) {
            return api_error(409,
                             "Another Listener on this Load Balancer is already using "
                             "protocol " +
                                 l4 + " and protocol_port " + attrs["protocol_port"].dump());
        }
    }
    return {};
}

// The load balancer's VIP address and its additional VIPs' addresses.
std::vector<std::string> vip_addresses(const TreeObject& lb) {
    std::vector<std::string> out;
    if (lb.attrs.contains("vip_address") && lb.attrs["vip_address"].is_string()) {
        out.push_back(lb.attrs["vip_address"].get<std::string>());
    }
    for (const auto& vip : lb.attrs.value("additional_vips", json::array())) {
        if (vip.is_object() && vip.contains("ip_address") && vip["ip_address"].is_string()) {
            out.push_back(vip["ip_address"].get<std::string>());
        }
    }
    return out;
}

ApiResult<void> check_default_pool(Call& call, const std::string& lb_id, const json& attrs) {
    const json& pool_id = attrs["default_pool_id"];
    if (!pool_id.is_string()) {
        return {};
    }
    auto pool = call.api.store.get(Kind::kPool, pool_id.get<std::string>());
    if (!pool) {
        return storage_error(pool.error());
    }
    if (!*pool || (*pool)->load_balancer_id != lb_id) {
        return model::not_found("Pool", pool_id.get<std::string>());
    }
    return model::check_pool_protocol(attrs["protocol"], (*pool)->attrs["protocol"]);
}

ApiResult<http::HttpResponse> create(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPost, "listener", "listener_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* attrs = &body->attrs;
    TreeObject listener;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto lb = load(call, Kind::kLoadBalancer, (*attrs)["loadbalancer_id"]);
        if (!lb) {
            return Unexpected(lb.error());
        }
        if (auto ok = authorize(call.context, Rule::kWrite, lb->project_id); !ok) {
            return Unexpected(ok.error());
        }
        if (auto ok = check_quota(call, lb->project_id, {{Kind::kListener, 1}}); !ok) {
            return ok;
        }
        if (auto ok = model::check_listener(*attrs); !ok) {
            return Unexpected(ok.error());
        }
        auto locked = lock_load_balancer(call, lb->id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        auto inserted = insert_listener(call, *locked, *attrs);
        if (!inserted) {
            return Unexpected(inserted.error());
        }
        listener = std::move(*inserted);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kListener, listener, "listener", 201);
}

ApiResult<http::HttpResponse> update(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPut, "listener", "listener_");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* changes = &body->attrs;
    TreeObject listener;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto loaded = load_authorized(call, Kind::kListener, call.param("id"), Rule::kWrite);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        listener = std::move(*loaded);
        json merged = listener.attrs;
        for (const auto& [key, value] : changes->items()) {
            merged[key] = value;
        }
        apply_tls_defaults(merged);
        if (auto ok = model::check_listener(merged); !ok) {
            return Unexpected(ok.error());
        }
        if (auto ok = check_default_pool(call, listener.load_balancer_id, merged); !ok) {
            return Unexpected(ok.error());
        }
        if (auto ok = check_tls_refs(call, *changes, false); !ok) {
            return ok;
        }
        // Octavia checks the CIDRs against the VIPs only when an update sets them.
        if (changes->contains("allowed_cidrs") && !(*changes)["allowed_cidrs"].empty()) {
            auto lb = load(call, Kind::kLoadBalancer, listener.load_balancer_id);
            if (!lb) {
                return Unexpected(lb.error());
            }
            auto ok =
                model::check_cidrs_match_vips((*changes)["allowed_cidrs"], vip_addresses(*lb));
            if (!ok) {
                return Unexpected(ok.error());
            }
        }
        auto locked = lock_load_balancer(call, listener.load_balancer_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        listener.attrs = std::move(merged);
        listener.provisioning_status = model::kPendingUpdate;
        listener.updated_at = call.api.now();
        if (auto saved = call.api.store.update(Kind::kListener, listener); !saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kListener, listener, "listener");
}

ApiResult<http::HttpResponse> remove(Call& call) {
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto listener = load_authorized(call, Kind::kListener, call.param("id"), Rule::kWrite);
        if (!listener) {
            return Unexpected(listener.error());
        }
        auto locked = lock_load_balancer(call, listener->load_balancer_id);
        if (!locked) {
            return Unexpected(locked.error());
        }
        auto set = call.api.store.set_provisioning_status(Kind::kListener, listener->id,
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

ApiResult<TreeObject> insert_listener(Call& call, const TreeObject& lb, json attrs) {
    if (auto ok = model::check_listener(attrs); !ok) {
        return Unexpected(ok.error());
    }
    if (auto ok = check_tls_refs(call, attrs, false); !ok) {
        return Unexpected(ok.error());
    }
    if (auto ok = check_port_free(call, lb.id, attrs, ""); !ok) {
        return Unexpected(ok.error());
    }
    if (auto ok = check_default_pool(call, lb.id, attrs); !ok) {
        return Unexpected(ok.error());
    }
    if (auto ok =
            model::check_cidrs_match_vips(attrs.value("allowed_cidrs", json()), vip_addresses(lb));
        !ok) {
        return Unexpected(ok.error());
    }
    apply_tls_defaults(attrs);
    TreeObject listener;
    listener.id = make_uuid();
    listener.project_id = lb.project_id;
    listener.load_balancer_id = lb.id;
    listener.parent_id = lb.id;
    listener.provisioning_status = model::kPendingCreate;
    listener.operating_status = model::kOffline;
    listener.created_at = call.api.now();
    strip_non_attributes(
        attrs, {"loadbalancer_id", "project_id", "tenant_id", "default_pool", "l7policies"});
    listener.attrs = std::move(attrs);
    if (auto inserted = call.api.store.insert(Kind::kListener, listener); !inserted) {
        return storage_error(inserted.error());
    }
    return listener;
}

ApiResult<http::HttpResponse> listener_stats(Call& call);

void add_listener_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/listeners";
    router.add("GET", base, [](Call& call) {
        return list(call, Kind::kListener, "listeners", "listeners_links", "", {}, false);
    });
    router.add("POST", base, create);
    router.add("GET", base + "/{id}", [](Call& call) -> ApiResult<http::HttpResponse> {
        auto listener = load_authorized(call, Kind::kListener, call.param("id"), Rule::kRead);
        if (!listener) {
            return Unexpected(listener.error());
        }
        return show(call, Kind::kListener, *listener, "listener");
    });
    router.add("PUT", base + "/{id}", update);
    router.add("DELETE", base + "/{id}", remove);
    router.add("GET", base + "/{id}/stats", listener_stats);
}

}  // namespace octane::api::v2
