#include "api/v2/quota_check.h"
#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "api/views.h"
#include "common/uuid.h"
#include "db/catalog_repository.h"
#include "db/failover_request_repository.h"
#include "model/field_validation.h"
#include "model/ip_address.h"
#include "model/resource_specs.h"
#include "model/statuses.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

const model::ResourceSpec& spec() {
    return model::load_balancer_spec();
}

std::optional<std::string> optional_text(const json& attrs, const char* key) {
    auto it = attrs.find(key);
    if (it == attrs.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

ApiResult<void> check_provider(Call& call, json& attrs) {
    if (attrs["provider"].is_null()) {
        attrs["provider"] = call.api.settings.default_provider;
    }
    std::string provider = attrs["provider"];
    if (provider != "amphora" && provider != "octavia") {
        return api_error(400, "Provider '" + provider + "' is not enabled.");
    }
    return {};
}

// A port the user made carries no device_id after it became a VIP (Octavia leaves it so), so
// the driver's in-use check cannot see a second load balancer on it: the live load balancers are
// asked, inside the inserting transaction. The fault reads as Octavia's check_port_in_use.
ApiResult<void> check_vip_port_free(Call& call, const std::optional<std::string>& port_id) {
    if (!port_id) {
        return {};
    }
    auto user = call.api.store.live_load_balancer_on_port(*port_id);
    if (!user) {
        return storage_error(user.error());
    }
    if (*user) {
        return model::validation_failure("Port " + *port_id + " is already used by device lb-" +
                                         **user + " ");
    }
    return {};
}

bool enabled(const json& catalog_attrs) {
    return !catalog_attrs.is_object() || catalog_attrs.value("enabled", true);
}

ApiResult<void> check_catalog_refs(Call& call, const json& attrs) {
    if (auto flavor = optional_text(attrs, "flavor_id")) {
        auto row = db::CatalogRepository(call.api.db, db::CatalogTable::kFlavors).get(*flavor);
        if (!row) {
            return storage_error(row.error());
        }
        if (!*row) {
            return model::validation_failure("Invalid flavor_id.");
        }
        if (!enabled((*row)->attrs)) {
            return api_error(400,
                             "The selected flavor is not allowed in this deployment: " + *flavor);
        }
    }
    if (auto zone = optional_text(attrs, "availability_zone")) {
        auto row =
            db::CatalogRepository(call.api.db, db::CatalogTable::kAvailabilityZones).get(*zone);
        if (!row) {
            return storage_error(row.error());
        }
        if (!*row) {
            return model::validation_failure("Invalid availability zone.");
        }
        if (!enabled((*row)->attrs)) {
            return api_error(
                400, "The selected availability_zone is not allowed in this deployment: " + *zone);
        }
    }
    return {};
}

// additional_vips as given: shape, known keys, subnets distinct from each other and from a given
// vip_subnet_id. The network driver checks that they exist, share the VIP network and differ
// from a subnet it picks itself; it runs before any address is taken.
ApiResult<std::vector<drivers::AdditionalVipRequest>> parse_additional_vips(
    const json& given, const std::optional<std::string>& primary_subnet) {
    std::vector<drivers::AdditionalVipRequest> out;
    std::set<std::string> subnets;
    if (primary_subnet) {
        subnets.insert(*primary_subnet);
    }
    for (const auto& vip : given.is_array() ? given : json::array()) {
        if (!vip.is_object() || !vip.contains("subnet_id") || !vip["subnet_id"].is_string() ||
            !is_uuid(vip["subnet_id"].get<std::string>())) {
            return api_error(
                400, model::invalid_input("subnet_id", vip.dump(), "Value should be UUID format"));
        }
        drivers::AdditionalVipRequest request{vip["subnet_id"].get<std::string>(), {}, {}};
        for (const auto& [key, value] : vip.items()) {
            if (key != "subnet_id" && key != "ip_address" && key != "port_id") {
                return api_error(400, "Unknown attribute for argument additional_vips: " + key);
            }
        }
        if (auto address = optional_text(vip, "ip_address")) {
            if (!model::is_ip_literal(*address)) {
                return api_error(400, model::invalid_input("ip_address", *address,
                                                           "Value should be IPv4 or IPv6 format"));
            }
            request.address = *address;
        }
        request.port_id = optional_text(vip, "port_id");
        if (!subnets.insert(request.subnet_id).second) {
            return model::validation_failure(
                "Duplicate VIP or additional VIP subnet(s) detected: " + request.subnet_id);
        }
        out.push_back(std::move(request));
    }
    return out;
}

json render_additional_vips(const drivers::Vip& vip) {
    json out = json::array();
    for (const auto& extra : vip.additional) {
        out.push_back({{"subnet_id", extra.subnet_id},
                       {"ip_address", extra.address},
                       {"port_id", extra.port_id ? json(*extra.port_id) : json(nullptr)},
                       {"network_id", vip.network_id}});
    }
    return out;
}

ApiResult<http::HttpResponse> create(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPost, "loadbalancer", "load_balancer");
    if (!body) {
        return Unexpected(body.error());
    }
    const nlohmann::json* given = &body->given;
    nlohmann::json* attrs = &body->attrs;
    auto project = project_for_create(call, *given);
    if (!project) {
        return Unexpected(project.error());
    }
    if (auto ok = authorize(call.context, Rule::kWrite, *project); !ok) {
        return Unexpected(ok.error());
    }
    drivers::VipRequest vip_request;
    vip_request.load_balancer_id = make_uuid();
    vip_request.project_id = *project;
    vip_request.address = optional_text(*attrs, "vip_address");
    vip_request.port_id = optional_text(*attrs, "vip_port_id");
    vip_request.subnet_id = optional_text(*attrs, "vip_subnet_id");
    vip_request.network_id = optional_text(*attrs, "vip_network_id");
    vip_request.caller = network_caller(call.context);
    if (!vip_request.port_id && !vip_request.subnet_id && !vip_request.network_id) {
        return model::validation_failure(
            "VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.");
    }
    if (auto ok = check_provider(call, *attrs); !ok) {
        return Unexpected(ok.error());
    }
    if (auto ok = check_catalog_refs(call, *attrs); !ok) {
        return Unexpected(ok.error());
    }
    auto additional = parse_additional_vips((*attrs)["additional_vips"], vip_request.subnet_id);
    if (!additional) {
        return Unexpected(additional.error());
    }
    vip_request.additional = std::move(*additional);
    TreeObject lb;
    lb.id = vip_request.load_balancer_id;
    lb.project_id = *project;
    lb.load_balancer_id = lb.id;
    lb.provisioning_status = model::kPendingCreate;
    lb.operating_status = model::kOffline;
    lb.created_at = call.api.now();
    lb.attrs = *attrs;
    strip_non_attributes(lb.attrs, {"listeners", "pools", "project_id", "tenant_id"});
    std::optional<drivers::Vip> vip;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        // In the load balancer's transaction: the local drivers' ports are rows of this database,
        // so an API killed before the commit leaves no VIP port behind.
        auto allocated = call.api.network.allocate_vip(vip_request);
        if (!allocated) {
            return api_error(allocated.error().status, allocated.error().message);
        }
        vip = std::move(*allocated);
        lb.attrs["vip_address"] = vip->address;
        lb.attrs["vip_port_id"] = vip->port_id;
        lb.attrs["vip_subnet_id"] = vip->subnet_id;
        lb.attrs["vip_network_id"] = vip->network_id;
        lb.attrs["vip_vnic_type"] = "normal";
        lb.attrs["additional_vips"] = render_additional_vips(*vip);
        if (auto ok = check_quota(call, lb.project_id, {{Kind::kLoadBalancer, 1}}); !ok) {
            return ok;
        }
        if (auto ok = check_vip_port_free(call, vip_request.port_id); !ok) {
            return ok;
        }
        if (auto inserted = call.api.store.insert(Kind::kLoadBalancer, lb); !inserted) {
            return storage_error(inserted.error());
        }
        if (auto graph = create_graph(call, lb, *given); !graph) {
            return graph;
        }
        return check_graph_quota(call, lb.project_id, lb.id);
    });
    if (!done) {
        if (vip) {
            // A driver whose ports live elsewhere (not rolled back with the transaction).
            (void)call.api.network.deallocate_vip(lb.id, *vip);
        }
        return Unexpected(done.error());
    }
    // Rendered before the worker is woken, so the answer shows the state as created.
    auto full = render_full_graph(call, lb);
    wake_worker(call);
    if (!full) {
        return Unexpected(full.error());
    }
    auto q = parse_list_query(call.request.query_params);
    return json_response(
        201, {{"loadbalancer", select_fields(*full, q ? q->fields : std::vector<std::string>{})}});
}

ApiResult<http::HttpResponse> update(Call& call) {
    auto body = read_body(call, spec(), model::Mode::kPut, "loadbalancer", "load_balancer");
    if (!body) {
        return Unexpected(body.error());
    }
    nlohmann::json* changes = &body->attrs;
    TreeObject lb;
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto loaded = load_authorized(call, Kind::kLoadBalancer, call.param("id"), Rule::kWrite);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        lb = std::move(*loaded);
        if (lb.provisioning_status != model::kActive) {
            return api_error(409, "Invalid state " + lb.provisioning_status +
                                      " of loadbalancer resource " + lb.id);
        }
        for (const auto& [key, value] : changes->items()) {
            lb.attrs[key] = value;
        }
        lb.provisioning_status = model::kPendingUpdate;
        lb.updated_at = call.api.now();
        if (auto saved = call.api.store.update(Kind::kLoadBalancer, lb); !saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    wake_worker(call);
    return show(call, Kind::kLoadBalancer, lb, "loadbalancer", 200);
}

ApiResult<http::HttpResponse> remove(Call& call) {
    bool cascade = false;
    for (const auto& [key, value] : call.request.query_params) {
        if (key == "cascade") {
            auto b = parse_bool(value);
            if (!b) {
                return api_error(
                    400, model::invalid_input("cascade", value, "Value should be a boolean"));
            }
            cascade = *b;
        }
    }
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto lb = load_authorized(call, Kind::kLoadBalancer, call.param("id"), Rule::kWrite);
        if (!lb) {
            return Unexpected(lb.error());
        }
        if (lb->provisioning_status != model::kActive && lb->provisioning_status != model::kError) {
            return api_error(409, "Invalid state " + lb->provisioning_status +
                                      " of loadbalancer resource " + lb->id);
        }
        if (!cascade) {
            for (Kind child : {Kind::kListener, Kind::kPool}) {
                auto children = call.api.store.by_load_balancer(child, lb->id);
                if (!children) {
                    return storage_error(children.error());
                }
                if (!children->empty()) {
                    return model::validation_failure("Cannot delete Load Balancer " + lb->id +
                                                     " - it has children");
                }
            }
        }
        auto set = call.api.store.set_provisioning_status(Kind::kLoadBalancer, lb->id,
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

ApiResult<http::HttpResponse> failover(Call& call) {
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto lb = load(call, Kind::kLoadBalancer, call.param("id"));
        if (!lb) {
            return Unexpected(lb.error());
        }
        if (auto ok = authorize(call.context, Rule::kAdmin, lb->project_id); !ok) {
            return Unexpected(ok.error());
        }
        if (lb->provisioning_status != model::kActive && lb->provisioning_status != model::kError) {
            return api_error(409, "Invalid state " + lb->provisioning_status +
                                      " of loadbalancer resource " + lb->id);
        }
        auto set = call.api.store.set_provisioning_status(Kind::kLoadBalancer, lb->id,
                                                          model::kPendingUpdate, call.api.now());
        if (!set) {
            return storage_error(set.error());
        }
        auto requested = db::FailoverRequestRepository(call.api.db).request_load_balancer(lb->id);
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

}  // namespace

void add_load_balancer_routes(ApiRouter& router, const std::string& prefix) {
    std::string base = prefix + "/loadbalancers";
    router.add("GET", base, [](Call& call) {
        return list(call, Kind::kLoadBalancer, "loadbalancers", "loadbalancers_links", "", {},
                    false);
    });
    router.add("POST", base, create);
    router.add("GET", base + "/{id}", [](Call& call) -> ApiResult<http::HttpResponse> {
        auto lb = load_authorized(call, Kind::kLoadBalancer, call.param("id"), Rule::kRead);
        if (!lb) {
            return Unexpected(lb.error());
        }
        return show(call, Kind::kLoadBalancer, *lb, "loadbalancer");
    });
    router.add("PUT", base + "/{id}", update);
    router.add("DELETE", base + "/{id}", remove);
    router.add("PUT", base + "/{id}/failover", failover);
}

}  // namespace octane::api::v2
