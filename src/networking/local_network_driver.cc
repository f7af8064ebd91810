#include "networking/local_network_driver.h"

#include "networking/cidr.h"
#include "networking/vip_port.h"
#include "networking/visibility.h"

namespace octane::networking {
namespace {

using nlohmann::json;

constexpr const char* kVipOwner = "Octavia";

Unexpected<drivers::NetworkError> invalid_subresource(const std::string& what,
                                                      const std::string& id) {
    return Unexpected(drivers::NetworkError{400, what + " " + id + " not found."});
}

Result<drivers::Vip, drivers::NetworkError> vip_of(const json& port, const std::string& subnet_id) {
    for (const auto& ip : port["fixed_ips"]) {
        if (ip["subnet_id"] == subnet_id) {
            return drivers::Vip{ip["ip_address"].get<std::string>(), port["id"].get<std::string>(),
                                ip["subnet_id"].get<std::string>(),
                                port["network_id"].get<std::string>()};
        }
    }
    return Unexpected(drivers::NetworkError{
        400, "Port " + port["id"].get<std::string>() + " has no fixed IP on the VIP subnet."});
}

// The VIP port's fixed IPs on the additional subnets, in the order requested.
Result<std::vector<drivers::AdditionalVip>, drivers::NetworkError> additional_of(
    const json& port, const std::vector<drivers::AdditionalVipRequest>& wanted) {
    std::vector<drivers::AdditionalVip> out;
    for (const auto& extra : wanted) {
        auto chosen = choose_vip_fixed_ip(port, extra.subnet_id, std::nullopt);
        if (!chosen) {
            return Unexpected(drivers::NetworkError{400, chosen.error().message});
        }
        out.push_back({chosen->subnet_id, chosen->ip_address, port["id"].get<std::string>()});
    }
    return out;
}

}  // namespace

std::optional<json> LocalNetworkDriver::find(NetKind kind, const std::string& id,
                                             const drivers::NetworkCaller& caller) {
    auto object = store_.get(kind, id);
    if (!object) {
        return std::nullopt;
    }
    if (!visible_in(store_, caller, kind, *object)) {
        return std::nullopt;
    }
    return std::move(*object);
}

// Octavia's _validate_subnets_share_network_but_no_duplicates: every additional subnet exists,
// differs from the primary one and lies in the VIP network.
Result<void, drivers::NetworkError> LocalNetworkDriver::check_additional_subnets(
    const drivers::VipRequest& request, const std::string& primary_subnet,
    const std::string& network_id) {
    for (const auto& extra : request.additional) {
        auto subnet = find(NetKind::kSubnet, extra.subnet_id, request.caller);
        if (!subnet) {
            return invalid_subresource("Subnet", extra.subnet_id);
        }
        if (extra.subnet_id == primary_subnet) {
            return Unexpected(drivers::NetworkError{
                400, "Validation failure: Duplicate VIP or additional VIP subnet(s) detected: " +
                         extra.subnet_id});
        }
        if ((*subnet)["network_id"] != network_id) {
            return Unexpected(drivers::NetworkError{
                400, "Validation failure: All VIP subnets must belong to the same network."});
        }
    }
    return {};
}

// Octavia's order: the port exists, no device uses it, the subnet (if given) exists, then the
// fixed IP that is the VIP.
Result<drivers::Vip, drivers::NetworkError> LocalNetworkDriver::existing_port_vip(
    const drivers::VipRequest& request) {
    auto port = find(NetKind::kPort, *request.port_id, request.caller);
    if (!port) {
        return invalid_subresource("Port", *request.port_id);
    }
    if (auto unused = check_port_unused(*port); !unused) {
        return Unexpected(drivers::NetworkError{400, unused.error().message});
    }
    if (request.subnet_id && !find(NetKind::kSubnet, *request.subnet_id, request.caller)) {
        return invalid_subresource("Subnet", *request.subnet_id);
    }
    auto chosen = choose_vip_fixed_ip(*port, request.subnet_id, request.address);
    if (!chosen) {
        return Unexpected(drivers::NetworkError{400, chosen.error().message});
    }
    std::string network_id = (*port)["network_id"].get<std::string>();
    if (auto ok = check_additional_subnets(request, chosen->subnet_id, network_id); !ok) {
        return Unexpected(ok.error());
    }
    auto additional = additional_of(*port, request.additional);
    if (!additional) {
        return Unexpected(additional.error());
    }
    return drivers::Vip{chosen->ip_address, *request.port_id, chosen->subnet_id, network_id,
                        std::move(*additional)};
}

// Octavia's choice of the VIP subnet: the one given (it must be in vip_network_id when both are
// given), else a subnet of the network: the one holding vip_address, else the first IPv4
// subnet, else the first one. Only what the caller can see counts.
Result<LocalNetworkDriver::VipPlace, drivers::NetworkError> LocalNetworkDriver::vip_place(
    const drivers::VipRequest& request) {
    if (request.subnet_id) {
        auto subnet = find(NetKind::kSubnet, *request.subnet_id, request.caller);
        if (!subnet) {
            return invalid_subresource("Subnet", *request.subnet_id);
        }
        std::string network_id = (*subnet)["network_id"].get<std::string>();
        if (request.network_id && *request.network_id != network_id) {
            return Unexpected(
                drivers::NetworkError{400, "Validation failure: Subnet " + *request.subnet_id +
                                               " is not in network " + *request.network_id + "."});
        }
        return VipPlace{network_id, *request.subnet_id};
    }
    auto network = find(NetKind::kNetwork, *request.network_id, request.caller);
    if (!network) {
        return invalid_subresource("Network", *request.network_id);
    }
    auto address = request.address ? parse_ip(*request.address) : std::nullopt;
    std::optional<std::string> chosen, v6;
    for (const auto& id : (*network)["subnets"]) {
        // The subnet's network is the one at hand: no second read of it per subnet.
        auto subnet = store_.get(NetKind::kSubnet, id.get<std::string>());
        if (!subnet || !visible_to(request.caller, NetKind::kSubnet, *subnet, &*network)) {
            continue;
        }
        auto cidr = parse_cidr((*subnet)["cidr"].get<std::string>());
        if (address ? (cidr && cidr->contains(*address)) : (*subnet)["ip_version"] == 4) {
            chosen = id.get<std::string>();
            break;
        }
        if (!v6) {
            v6 = id.get<std::string>();
        }
    }
    if (!chosen && !address) {
        chosen = v6;
    }
    if (!chosen) {
        return Unexpected(drivers::NetworkError{
            400, "Validation failure: Supplied network does not contain a subnet" +
                     std::string(address ? " for the VIP address." : ".")});
    }
    return VipPlace{*request.network_id, *chosen};
}

Result<drivers::Vip, drivers::NetworkError> LocalNetworkDriver::allocate_vip(
    const drivers::VipRequest& request) {
    if (request.port_id) {
        return existing_port_vip(request);
    }
    auto place = vip_place(request);
    if (!place) {
        return Unexpected(place.error());
    }
    const std::string& network_id = place->network_id;
    const std::string& subnet_id = place->subnet_id;
    json body = {{"network_id", network_id},
                 {"name", "octavia-lb-" + request.load_balancer_id},
                 {"description", ""},
                 {"project_id", request.project_id},
                 {"tenant_id", request.project_id},
                 {"tags", json::array()},
                 {"device_owner", kVipOwner},
                 {"device_id", "lb-" + request.load_balancer_id},
                 {"admin_state_up", false},
                 {"binding:vnic_type", "normal"},
                 {"port_security_enabled", true},
                 {"security_groups", json::array()},
                 {"allowed_address_pairs", json::array()},
                 {"extra_dhcp_opts", json::array()}};
    if (auto ok = check_additional_subnets(request, subnet_id, network_id); !ok) {
        return Unexpected(ok.error());
    }
    std::vector<FixedIpRequest> fixed_ips = {FixedIpRequest{subnet_id, request.address}};
    for (const auto& extra : request.additional) {
        fixed_ips.push_back(FixedIpRequest{extra.subnet_id, extra.address});
    }
    auto port = store_.create_port(body, fixed_ips);
    if (!port) {
        // Octavia answers with Neutron's own code and message (AllocateVIPException orig_code/
        // orig_msg): 409 for an address in use or an exhausted subnet, 400 for one outside it.
        int status = port.error().status;
        return Unexpected(
            drivers::NetworkError{status >= 500 ? 500 : status, port.error().message});
    }
    auto vip = vip_of(*port, subnet_id);
    if (!vip) {
        return vip;
    }
    auto additional = additional_of(*port, request.additional);
    if (!additional) {
        return Unexpected(additional.error());
    }
    vip->additional = std::move(*additional);
    return vip;
}

Result<void, drivers::NetworkError> LocalNetworkDriver::check_subnet(
    const std::string& subnet_id, const drivers::NetworkCaller& caller) {
    if (!find(NetKind::kSubnet, subnet_id, caller)) {
        return invalid_subresource("Subnet", subnet_id);
    }
    return {};
}

Result<void> LocalNetworkDriver::deallocate_vip(const std::string& load_balancer_id,
                                                const drivers::Vip& vip) {
    auto port = store_.get(NetKind::kPort, vip.port_id);
    if (!port) {
        return {};  // already gone
    }
    // Only the port this driver made for the load balancer; a user's vip_port_id stays.
    if ((*port).value("device_owner", "") != kVipOwner ||
        (*port).value("device_id", "") != "lb-" + load_balancer_id) {
        return {};
    }
    auto removed = store_.remove(NetKind::kPort, vip.port_id);
    if (!removed && removed.error().status != 404) {
        return make_error("cannot delete VIP port " + vip.port_id + ": " + removed.error().message);
    }
    return {};
}

}  // namespace octane::networking
