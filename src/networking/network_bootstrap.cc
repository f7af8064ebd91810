#include "networking/network_bootstrap.h"

#include "networking/neutron_bodies.h"

namespace octane::networking {
namespace {

using nlohmann::json;

Result<void> ensure(NetworkStore& store, const std::string& project, const std::string& name,
                    const std::string& cidr, bool external) {
    auto all = store.list(NetKind::kNetwork);
    if (!all) {
        return make_error(all.error().message);
    }
    for (const auto& network : *all) {
        if (network.value("name", "") == name) {
            return {};
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
    return {};
}

}  // namespace

Result<void> bootstrap_networks(NetworkStore& store, const std::string& admin_project,
                                const NetworkBootstrap& options) {
    if (auto done = ensure(store, admin_project, "selfservice", options.selfservice_cidr, false);
        !done) {
        return done;
    }
    return ensure(store, admin_project, "provider", options.provider_cidr, true);
}

}  // namespace octane::networking
