#include "networking/network_bootstrap.h"

#include <optional>

#include "networking/neutron_bodies.h"

namespace octane::networking {
namespace {

using nlohmann::json;

// The subnet of the network called name: made now, or nullopt when the network already existed.
Result<std::optional<json>> ensure(NetworkStore& store, const std::string& project,
                                   const std::string& name, const std::string& cidr,
                                   bool external) {
    auto all = store.list(NetKind::kNetwork);
    if (!all) {
        return make_error(all.error().message);
    }
    for (const auto& network : *all) {
        if (network.value("name", "") == name) {
            return std::optional<json>();
        }
    }
    json given = {{"name", name}, {"shared", !external}, {"router:external", external}};
    auto input = validate_create(NetKind::kNetwork, given, project, true);
    if (!input) {
        return make_error(input.error().message);
    }
    auto network = store.create_network(input->attrs);
    if (!network) {
        return make_error(network.error().message);
    }
    auto parsed = cidr.find(':') == std::string::npos ? 4 : 6;
    json subnet_given = {{"name", external ? name + "-subnet" : name},
                         {"network_id", (*network)["id"]},
                         {"cidr", cidr},
                         {"ip_version", parsed}};
    auto subnet_input = validate_create(NetKind::kSubnet, subnet_given, project, true);
    if (!subnet_input) {
        return make_error(name + " subnet " + cidr + ": " + subnet_input.error().message);
    }
    auto subnet = store.create_subnet(subnet_input->attrs);
    if (!subnet) {
        return make_error(subnet.error().message);
    }
    return std::optional<json>(*subnet);
}

// The router `router`: gateway on provider, interface on selfservice.
Result<void> make_router(NetworkStore& store, const std::string& project,
                         const json& provider_subnet, const json& selfservice_subnet) {
    json given = {{"name", "router"},
                  {"external_gateway_info", {{"network_id", provider_subnet["network_id"]}}}};
    auto input = validate_create(NetKind::kRouter, given, project, true);
    if (!input) {
        return make_error(input.error().message);
    }
    auto router = store.create_router(input->attrs, input->gateway);
    if (!router) {
        return make_error("router: " + router.error().message);
    }
    InterfaceRequest interface;
    interface.subnet_id = selfservice_subnet["id"].get<std::string>();
    auto attached = store.add_router_interface((*router)["id"].get<std::string>(), interface);
    if (!attached) {
        return make_error("router interface: " + attached.error().message);
    }
    return {};
}

}  // namespace

Result<void> bootstrap_networks(NetworkStore& store, const std::string& admin_project,
                                const NetworkBootstrap& options) {
    auto selfservice = ensure(store, admin_project, "selfservice", options.selfservice_cidr, false);
    if (!selfservice) {
        return Unexpected(selfservice.error());
    }
    auto provider = ensure(store, admin_project, "provider", options.provider_cidr, true);
    if (!provider) {
        return Unexpected(provider.error());
    }
    // Only with networks made now: a router deleted on purpose stays deleted.
    if (*selfservice && *provider) {
        return make_router(store, admin_project, **provider, **selfservice);
    }
    return {};
}

}  // namespace octane::networking
