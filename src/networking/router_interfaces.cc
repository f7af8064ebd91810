// add_router_interface / remove_router_interface: interfaces by subnet or by port, with
// Neutron's checks (duplicate or overlapping subnets, ports in use, interfaces that floating IPs
// or routes need).

#include "networking/cidr.h"
#include "networking/device_port.h"
#include "networking/net_transaction.h"
#include "networking/network_store.h"
#include "networking/router_common.h"

namespace octane::networking {
namespace {

using nlohmann::json;

json interface_info(const std::string& router_id, const json& port,
                    const std::optional<std::string>& subnet_id) {
    json subnet_ids = json::array();
    for (const auto& subnet : subnets_of(port)) {
        subnet_ids.push_back(subnet);
    }
    json chosen = subnet_id            ? json(*subnet_id)
                  : subnet_ids.empty() ? json(nullptr)
                                       : subnet_ids.back();
    return {{"id", router_id},
            {"tenant_id", port["project_id"]},
            {"project_id", port["project_id"]},
            {"port_id", port["id"]},
            {"network_id", port["network_id"]},
            {"subnet_id", chosen},
            {"subnet_ids", subnet_ids}};
}

bool on_subnet(const json& port, const std::string& subnet_id) {
    for (const auto& subnet : subnets_of(port)) {
        if (subnet == subnet_id) {
            return true;
        }
    }
    return false;
}

}  // namespace

NetResult<void> NetworkStore::check_new_subnets(const std::string& router_id,
                                                const std::vector<std::string>& subnet_ids) {
    auto ports = router_ports(router_id, kInterfaceOwner);
    if (!ports) {
        return Unexpected(ports.error());
    }
    for (const auto& new_id : subnet_ids) {
        auto added = get(NetKind::kSubnet, new_id);
        if (!added) {
            return Unexpected(added.error());
        }
        auto new_cidr = parse_cidr((*added)["cidr"].get<std::string>());
        for (const auto& port : *ports) {
            for (const auto& existing_id : subnets_of(port)) {
                if (existing_id == new_id) {
                    return bad_router("Router already has a port on subnet " + new_id);
                }
                auto existing = get(NetKind::kSubnet, existing_id);
                if (!existing) {
                    continue;
                }
                auto cidr = parse_cidr((*existing)["cidr"].get<std::string>());
                if (new_cidr && cidr && overlaps(*new_cidr, *cidr)) {
                    return bad_router("Cidr " + new_cidr->text() + " of subnet " + new_id +
                                      " overlaps with cidr " + cidr->text() + " of subnet " +
                                      existing_id);
                }
            }
        }
    }
    return {};
}

NetResult<json> NetworkStore::add_router_interface(const std::string& router_id,
                                                   const InterfaceRequest& request) {
    return in_transaction_answering<json>(db_, [&]() -> NetResult<json> {
        auto router = get(NetKind::kRouter, router_id);
        if (!router) {
            return Unexpected(router.error());
        }
        json port;
        bool insert = false;
        if (request.port_id) {
            auto given = get(NetKind::kPort, *request.port_id);
            if (!given) {
                return Unexpected(given.error());
            }
            port = std::move(*given);
            const std::string device = port.value("device_id", "");
            if (!device.empty()) {
                return net_error(409, "PortInUse",
                                 "Unable to complete operation on port " + *request.port_id +
                                     " for network " + port["network_id"].get<std::string>() +
                                     ". Port already has an attached device " + device + ".");
            }
            if (port["fixed_ips"].empty()) {
                return bad_router("Router port must have at least one fixed IP");
            }
            int ipv4_subnets = 0;
            for (const auto& ip : port["fixed_ips"]) {
                auto address = parse_ip(ip["ip_address"].get<std::string>());
                ipv4_subnets += address && address->version == 4 ? 1 : 0;
            }
            if (ipv4_subnets > 1) {
                return bad_router("Cannot have multiple IPv4 subnets on router port");
            }
        } else {
            auto subnet = get(NetKind::kSubnet, *request.subnet_id);
            if (!subnet) {
                return Unexpected(subnet.error());
            }
            if (!(*subnet)["gateway_ip"].is_string()) {
                return bad_router("Subnet for router interface must have a gateway IP");
            }
            // The router's project owns the port, so whoever may change the router may
            // remove it again (the subnet may be another project's shared one).
            port = device_port((*subnet)["network_id"].get<std::string>(), kInterfaceOwner,
                               router_id, (*router)["project_id"].get<std::string>(), now());
            port["fixed_ips"] = json::array(
                {{{"subnet_id", *request.subnet_id}, {"ip_address", (*subnet)["gateway_ip"]}}});
            insert = true;
        }
        if (auto unique = check_new_subnets(router_id, subnets_of(port)); !unique) {
            return Unexpected(unique.error());
        }
        if (insert) {
            std::vector<FixedIpRequest> wanted;
            for (const auto& ip : port["fixed_ips"]) {
                wanted.push_back(
                    {ip["subnet_id"].get<std::string>(), ip["ip_address"].get<std::string>()});
            }
            auto ips = allocate(port["network_id"].get<std::string>(),
                                port["id"].get<std::string>(), wanted);
            if (!ips) {
                return Unexpected(ips.error());
            }
            port["fixed_ips"] = *ips;
        }
        auto owned = own_port(router_id, port, kInterfaceOwner, insert);
        if (!owned) {
            return Unexpected(owned.error());
        }
        return interface_info(router_id, *owned, std::nullopt);
    });
}

NetResult<void> NetworkStore::confirm_interface_unused(const std::string& router_id,
                                                       const std::string& subnet_id) {
    auto subnet = get(NetKind::kSubnet, subnet_id);
    if (!subnet) {
        return {};
    }
    auto cidr = parse_cidr((*subnet)["cidr"].get<std::string>());
    auto fips = list(NetKind::kFloatingIp);
    if (!fips) {
        return Unexpected(fips.error());
    }
    for (const auto& fip : *fips) {
        if (fip.value("router_id", json(nullptr)) != router_id ||
            !fip["fixed_ip_address"].is_string()) {
            continue;
        }
        auto address = parse_ip(fip["fixed_ip_address"].get<std::string>());
        if (cidr && address && cidr->contains(*address)) {
            return net_error(409, "RouterInterfaceInUseByFloatingIP",
                             "Router interface for subnet " + subnet_id + " on router " +
                                 router_id +
                                 " cannot be deleted, as it is required by one or more floating"
                                 " IPs.");
        }
    }
    auto router = get(NetKind::kRouter, router_id);
    if (!router) {
        return Unexpected(router.error());
    }
    for (const auto& route : (*router)["routes"]) {
        auto nexthop = parse_ip(route["nexthop"].get<std::string>());
        if (cidr && nexthop && cidr->contains(*nexthop)) {
            return net_error(409, "RouterInterfaceInUseByRoute",
                             "Router interface for subnet " + subnet_id + " on router " +
                                 router_id +
                                 " cannot be deleted, as it is required by one or more routes.");
        }
    }
    return {};
}

NetResult<json> NetworkStore::remove_interface_port(const std::string& router_id,
                                                    const std::vector<json>& interfaces,
                                                    const InterfaceRequest& request) {
    const std::string& port_id = *request.port_id;
    const json* found = nullptr;
    for (const auto& port : interfaces) {
        if (port["id"] == port_id) {
            found = &port;
        }
    }
    if (!found) {
        return net_error(404, "RouterInterfaceNotFound",
                         "Router " + router_id + " does not have an interface with id " + port_id);
    }
    if (request.subnet_id && !on_subnet(*found, *request.subnet_id)) {
        return net_error(400, "SubnetMismatchForPort",
                         "Subnet on port " + port_id + " does not match the requested subnet " +
                             *request.subnet_id + ".");
    }
    for (const auto& subnet : subnets_of(*found)) {
        if (auto unused = confirm_interface_unused(router_id, subnet); !unused) {
            return Unexpected(unused.error());
        }
    }
    if (auto forgotten = forget_port(port_id); !forgotten) {
        return Unexpected(forgotten.error());
    }
    return interface_info(router_id, *found, request.subnet_id);
}

NetResult<json> NetworkStore::remove_interface_subnet(const std::string& router_id,
                                                      const std::vector<json>& interfaces,
                                                      const std::string& subnet_id) {
    if (auto subnet = get(NetKind::kSubnet, subnet_id); !subnet) {
        return Unexpected(subnet.error());
    }
    if (auto unused = confirm_interface_unused(router_id, subnet_id); !unused) {
        return Unexpected(unused.error());
    }
    std::optional<json> info;
    for (json port : interfaces) {
        if (!on_subnet(port, subnet_id)) {
            continue;
        }
        info = interface_info(router_id, port, subnet_id);
        const std::string port_id = port["id"].get<std::string>();
        if (port["fixed_ips"].size() == 1) {
            if (auto forgotten = forget_port(port_id); !forgotten) {
                return Unexpected(forgotten.error());
            }
            continue;
        }
        // A port on several subnets keeps its other addresses (as Neutron).
        json kept = json::array();
        for (const auto& ip : port["fixed_ips"]) {
            if (ip["subnet_id"] != subnet_id) {
                kept.push_back(ip);
            }
        }
        auto freed = db_.exec("DELETE FROM net_ip_allocations WHERE port_id = ? AND subnet_id = ?",
                              {port_id, subnet_id});
        if (!freed) {
            return db_failure(freed.error());
        }
        port["fixed_ips"] = kept;
        touch(port);
        if (auto saved = save(NetKind::kPort, port, false); !saved) {
            return Unexpected(saved.error());
        }
    }
    if (!info) {
        return net_error(404, "RouterInterfaceNotFoundForSubnet",
                         "Router " + router_id + " has no interface on subnet " + subnet_id);
    }
    return *info;
}

NetResult<json> NetworkStore::remove_router_interface(const std::string& router_id,
                                                      const InterfaceRequest& request) {
    return in_transaction_answering<json>(db_, [&]() -> NetResult<json> {
        if (auto router = get(NetKind::kRouter, router_id); !router) {
            return Unexpected(router.error());
        }
        auto interfaces = router_ports(router_id, kInterfaceOwner);
        if (!interfaces) {
            return Unexpected(interfaces.error());
        }
        return request.port_id
                   ? remove_interface_port(router_id, *interfaces, request)
                   : remove_interface_subnet(router_id, *interfaces, *request.subnet_id);
    });
}

}  // namespace octane::networking
