// Routers and the ports they own (gateway, interfaces), and the router a floating IP goes
// through: the router SQL in one place (tables net_routers and net_router_ports).

#include <algorithm>

#include "common/uuid.h"
#include "networking/cidr.h"
#include "networking/device_port.h"
#include "networking/net_transaction.h"
#include "networking/network_store.h"
#include "networking/router_bodies.h"

namespace octane::networking {
namespace {

using nlohmann::json;

constexpr const char* kGatewayOwner = "network:router_gateway";
constexpr const char* kInterfaceOwner = "network:router_interface";

// Neutron's BadRequest wording for routers: "Bad router request: <message>."
Unexpected<NetError> bad_router(const std::string& message) {
    return net_error(400, "BadRequest", "Bad router request: " + message + ".");
}

std::vector<std::string> subnets_of(const json& port) {
    std::vector<std::string> subnets;
    for (const auto& ip : port["fixed_ips"]) {
        subnets.push_back(ip["subnet_id"].get<std::string>());
    }
    return subnets;
}

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

NetResult<std::vector<json>> NetworkStore::router_ports(const std::string& router_id,
                                                        const std::string& port_type) {
    auto rows = db_.query(
        "SELECT p.attrs FROM net_router_ports rp JOIN net_ports p ON p.id = rp.port_id"
        " WHERE rp.router_id = ? AND rp.port_type = ? ORDER BY rp.rowid",
        {router_id, port_type});
    if (!rows) {
        return db_failure(rows.error());
    }
    std::vector<json> ports;
    for (const auto& row : *rows) {
        ports.push_back(json::parse(row.text(0)));
    }
    return ports;
}

NetResult<void> NetworkStore::forget_port(const std::string& port_id) {
    for (const char* sql :
         {"DELETE FROM net_ip_allocations WHERE port_id = ?",
          "DELETE FROM net_router_ports WHERE port_id = ?", "DELETE FROM net_ports WHERE id = ?"}) {
        if (auto done = db_.exec(sql, {port_id}); !done) {
            return db_failure(done.error());
        }
    }
    return {};
}

NetResult<json> NetworkStore::own_port(const std::string& router_id, json port,
                                       const std::string& port_type, bool insert) {
    port["device_id"] = router_id;
    port["device_owner"] = port_type;
    if (!insert) {
        touch(port);
    }
    if (auto saved = save(NetKind::kPort, port, insert); !saved) {
        return Unexpected(saved.error());
    }
    auto linked =
        db_.exec("INSERT INTO net_router_ports (port_id, router_id, port_type) VALUES (?, ?, ?)",
                 {port["id"].get<std::string>(), router_id, port_type});
    if (!linked) {
        return db_failure(linked.error());
    }
    return port;
}

NetResult<void> NetworkStore::attach_gateway(json& router, const GatewayRequest& gateway) {
    auto network = get(NetKind::kNetwork, gateway.network_id);
    if (!network) {
        return Unexpected(network.error());
    }
    if (!network->value("router:external", false)) {
        return bad_router("Network " + gateway.network_id + " is not an external network");
    }
    const std::string router_id = router["id"].get<std::string>();
    json port = device_port(gateway.network_id, kGatewayOwner, router_id, "", now());
    auto ips =
        allocate(gateway.network_id, port["id"].get<std::string>(), gateway.external_fixed_ips);
    if (!ips) {
        return Unexpected(ips.error());
    }
    port["fixed_ips"] = *ips;
    if (auto owned = own_port(router_id, port, kGatewayOwner, true); !owned) {
        return Unexpected(owned.error());
    }
    router["external_gateway_info"] = {{"network_id", gateway.network_id},
                                       {"enable_snat", gateway.enable_snat},
                                       {"external_fixed_ips", *ips}};
    return {};
}

NetResult<void> NetworkStore::detach_gateway(json& router) {
    const json& info = router["external_gateway_info"];
    if (!info.is_object()) {
        return {};
    }
    const std::string router_id = router["id"].get<std::string>();
    const std::string network_id = info["network_id"].get<std::string>();
    auto fips = db_.query("SELECT attrs FROM net_floatingips WHERE network_id = ?", {network_id});
    if (!fips) {
        return db_failure(fips.error());
    }
    for (const auto& row : *fips) {
        if (json::parse(row.text(0)).value("router_id", json(nullptr)) == router_id) {
            return net_error(409, "RouterExternalGatewayInUseByFloatingIp",
                             "Gateway cannot be updated for router " + router_id +
                                 ", since a gateway to external network " + network_id +
                                 " is required by one or more floating IPs.");
        }
    }
    auto ports = router_ports(router_id, kGatewayOwner);
    if (!ports) {
        return Unexpected(ports.error());
    }
    for (const auto& port : *ports) {
        if (auto forgotten = forget_port(port["id"].get<std::string>()); !forgotten) {
            return forgotten;
        }
    }
    router["external_gateway_info"] = nullptr;
    return {};
}

NetResult<json> NetworkStore::create_router(const json& body,
                                            const std::optional<GatewayRequest>& gateway) {
    json router = body;
    router["id"] = make_uuid();
    router["status"] = "ACTIVE";
    router["external_gateway_info"] = nullptr;
    router["created_at"] = router["updated_at"] = now();
    router["revision_number"] = 1;
    return in_transaction_answering<json>(db_, [&]() -> NetResult<json> {
        if (auto saved = save(NetKind::kRouter, router, true); !saved) {
            return Unexpected(saved.error());
        }
        if (gateway) {
            if (auto attached = attach_gateway(router, *gateway); !attached) {
                return Unexpected(attached.error());
            }
            if (auto saved = save(NetKind::kRouter, router, false); !saved) {
                return Unexpected(saved.error());
            }
        }
        return router;
    });
}

NetResult<void> NetworkStore::change_gateway(json& router, const GatewayChange& change) {
    if (!change.given) {
        return {};
    }
    const json current = router["external_gateway_info"];
    if (!change.gateway || !current.is_object() ||
        current["network_id"] != change.gateway->network_id) {
        if (auto detached = detach_gateway(router); !detached) {
            return detached;
        }
        return change.gateway ? attach_gateway(router, *change.gateway) : NetResult<void>();
    }
    // Same external network: SNAT changes in place, and the gateway port (kept, as Neutron
    // keeps it) is re-addressed only when addresses are asked for.
    router["external_gateway_info"]["enable_snat"] = change.gateway->enable_snat;
    if (change.gateway->external_fixed_ips.empty()) {
        return {};
    }
    auto ports = router_ports(router["id"].get<std::string>(), kGatewayOwner);
    if (!ports) {
        return Unexpected(ports.error());
    }
    for (json port : *ports) {
        const std::string port_id = port["id"].get<std::string>();
        if (auto freed = db_.exec("DELETE FROM net_ip_allocations WHERE port_id = ?", {port_id});
            !freed) {
            return db_failure(freed.error());
        }
        auto ips =
            allocate(change.gateway->network_id, port_id, change.gateway->external_fixed_ips);
        if (!ips) {
            return Unexpected(ips.error());
        }
        port["fixed_ips"] = *ips;
        touch(port);
        if (auto saved = save(NetKind::kPort, port, false); !saved) {
            return saved;
        }
        router["external_gateway_info"]["external_fixed_ips"] = *ips;
    }
    return {};
}

NetResult<json> NetworkStore::update_router(const std::string& id, const json& changes,
                                            const GatewayChange& change) {
    return in_transaction_answering<json>(db_, [&]() -> NetResult<json> {
        auto router = get(NetKind::kRouter, id);
        if (!router) {
            return Unexpected(router.error());
        }
        for (const auto& [key, value] : changes.items()) {
            (*router)[key] = value;
        }
        if (auto changed = change_gateway(*router, change); !changed) {
            return Unexpected(changed.error());
        }
        if (changes.contains("routes")) {
            if (auto connected = check_routes(*router); !connected) {
                return Unexpected(connected.error());
            }
        }
        touch(*router);
        if (auto saved = save(NetKind::kRouter, *router, false); !saved) {
            return Unexpected(saved.error());
        }
        return router;
    });
}

NetResult<void> NetworkStore::check_routes(const json& router) {
    const json& routes = router["routes"];
    if (routes.empty()) {
        return {};
    }
    // Every port of the router counts, the gateway too (Neutron looks ports up by device_id).
    auto rows = db_.query(
        "SELECT p.attrs FROM net_router_ports rp JOIN net_ports p ON p.id = rp.port_id"
        " WHERE rp.router_id = ?",
        {router["id"].get<std::string>()});
    if (!rows) {
        return db_failure(rows.error());
    }
    std::vector<Cidr> connected;
    std::vector<IpAddress> own;
    for (const auto& row : *rows) {
        const json port = json::parse(row.text(0));
        for (const auto& ip : port["fixed_ips"]) {
            auto subnet = get(NetKind::kSubnet, ip["subnet_id"].get<std::string>());
            auto cidr = subnet ? parse_cidr((*subnet)["cidr"].get<std::string>()) : std::nullopt;
            if (cidr) {
                connected.push_back(*cidr);
            }
            if (auto address = parse_ip(ip["ip_address"].get<std::string>())) {
                own.push_back(*address);
            }
        }
    }
    for (const auto& route : routes) {
        auto nexthop = parse_ip(route["nexthop"].get<std::string>());
        bool reachable = false;
        for (const auto& cidr : connected) {
            reachable = reachable || (nexthop && cidr.contains(*nexthop));
        }
        std::string reason = !reachable ? "the nexthop is not connected with router"
                             : std::find(own.begin(), own.end(), *nexthop) != own.end()
                                 ? "the nexthop is used by router"
                                 : "";
        if (!reason.empty()) {
            return net_error(
                400, "InvalidRoutes",
                "Invalid format for routes: " + routes_text(routes) + ", " + reason + ".");
        }
    }
    return {};
}

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

NetResult<void> NetworkStore::remove_router(const std::string& id) {
    auto router = get(NetKind::kRouter, id);
    if (!router) {
        return Unexpected(router.error());
    }
    auto interfaces = router_ports(id, kInterfaceOwner);
    if (!interfaces) {
        return Unexpected(interfaces.error());
    }
    if (!interfaces->empty()) {
        std::string attached;
        for (const auto& port : *interfaces) {
            attached += (attached.empty() ? "" : ", ") + port["id"].get<std::string>();
        }
        return net_error(409, "RouterInUse",
                         "Router " + id + " has ports still attached: " + attached);
    }
    if (auto detached = detach_gateway(*router); !detached) {
        return detached;
    }
    if (auto gone = db_.exec("DELETE FROM net_routers WHERE id = ?", {id}); !gone) {
        return db_failure(gone.error());
    }
    return {};
}

NetResult<std::string> NetworkStore::router_for_floatingip(const json& port,
                                                           const std::string& subnet_id,
                                                           const std::string& external_network_id) {
    auto subnet = get(NetKind::kSubnet, subnet_id);
    if (!subnet) {
        return Unexpected(subnet.error());
    }
    if (!(*subnet)["gateway_ip"].is_string()) {
        return net_error(400, "BadRequest",
                         "Bad floatingip request: Cannot add floating IP to port on subnet " +
                             subnet_id + " which has no gateway_ip.");
    }
    // Routers with a gateway on the external network and an interface on the port's network.
    auto rows = db_.query(
        "SELECT r.id, p.attrs FROM net_routers r JOIN net_router_ports rp ON rp.router_id = r.id"
        " JOIN net_ports p ON p.id = rp.port_id WHERE r.network_id = ? AND rp.port_type = ?"
        " AND p.network_id = ? ORDER BY r.rowid, rp.rowid",
        {external_network_id, std::string(kInterfaceOwner), port["network_id"].get<std::string>()});
    if (!rows) {
        return db_failure(rows.error());
    }
    std::optional<std::string> first;
    for (const auto& row : *rows) {
        json interface = json::parse(row.text(1));
        for (const auto& ip : interface["fixed_ips"]) {
            if (ip["subnet_id"] != subnet_id) {
                continue;
            }
            // Neutron prefers the router that is the subnet's gateway.
            if (ip["ip_address"] == (*subnet)["gateway_ip"]) {
                return row.text(0);
            }
            if (!first) {
                first = row.text(0);
            }
        }
    }
    if (first) {
        return *first;
    }
    return net_error(404, "ExternalGatewayForFloatingIPNotFound",
                     "External network " + external_network_id + " is not reachable from subnet " +
                         subnet_id + ".  Therefore, cannot associate Port " +
                         port["id"].get<std::string>() + " with a Floating IP.");
}

}  // namespace octane::networking
