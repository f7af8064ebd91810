// Routers, their gateway ports and extra routes, the ports a router owns, and the router a
// floating IP goes through. Router SQL lives here and in router_interfaces.cc (tables
// net_routers and net_router_ports).

#include <algorithm>

#include "common/uuid.h"
#include "networking/cidr.h"
#include "networking/device_port.h"
#include "networking/net_transaction.h"
#include "networking/network_store.h"
#include "networking/router_bodies.h"
#include "networking/router_common.h"

namespace octane::networking {

using nlohmann::json;

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
