// Ports, floating IPs and the IP allocations behind them; removals and updates of every kind.

#include <algorithm>

#include "common/uuid.h"
#include "networking/cidr.h"
#include "networking/device_port.h"
#include "networking/floatingip_fixed_ip.h"
#include "networking/ipam.h"
#include "networking/net_transaction.h"
#include "networking/network_store.h"

namespace octane::networking {
namespace {

using nlohmann::json;

std::vector<AddressRange> pools_of(const json& subnet) {
    std::vector<AddressRange> pools;
    for (const auto& pool : subnet["allocation_pools"]) {
        auto start = parse_ip(pool["start"].get<std::string>());
        auto end = parse_ip(pool["end"].get<std::string>());
        if (start && end) {
            pools.push_back({start->value, end->value});
        }
    }
    return pools;
}

}  // namespace

NetResult<std::vector<json>> NetworkStore::allocate(const std::string& network_id,
                                                    const std::string& port_id,
                                                    const std::vector<FixedIpRequest>& requested) {
    auto rows = db_.query("SELECT attrs FROM net_subnets WHERE network_id = ? ORDER BY rowid",
                          {network_id});
    if (!rows) {
        return db_failure(rows.error());
    }
    std::vector<json> subnets;
    for (const auto& row : *rows) {
        subnets.push_back(json::parse(row.text(0)));
    }
    std::vector<FixedIpRequest> wanted = requested;
    if (wanted.empty()) {
        for (int version : {4, 6}) {
            for (const auto& subnet : subnets) {
                if (subnet["ip_version"].get<int>() == version) {
                    wanted.push_back({subnet["id"].get<std::string>(), std::nullopt});
                    break;
                }
            }
        }
    }
    std::vector<json> fixed_ips;
    for (const auto& want : wanted) {
        const json* subnet = nullptr;
        std::optional<IpAddress> address;
        if (want.ip_address) {
            address = parse_ip(*want.ip_address);
            if (!address) {
                return net_error(400, "InvalidInput",
                                 "Invalid input for operation: " + *want.ip_address +
                                     " is not a valid IP address.");
            }
        }
        for (const auto& candidate : subnets) {
            auto cidr = parse_cidr(candidate["cidr"].get<std::string>());
            if (want.subnet_id ? candidate["id"] == *want.subnet_id
                               : (address && cidr && cidr->contains(*address))) {
                subnet = &candidate;
                break;
            }
        }
        if (!subnet) {
            if (want.subnet_id) {
                return net_error(400, "InvalidInput",
                                 "Invalid input for operation: Failed to create port on network " +
                                     network_id + ", because fixed_ips included invalid subnet " +
                                     *want.subnet_id + ".");
            }
            return net_error(400, "InvalidIpForNetwork",
                             "IP address " + *want.ip_address +
                                 " is not a valid IP for any of the subnets on the specified"
                                 " network.");
        }
        const std::string subnet_id = (*subnet)["id"].get<std::string>();
        auto cidr = parse_cidr((*subnet)["cidr"].get<std::string>());
        if (address) {
            bool edge = cidr->version == 4 && cidr->prefix < 31 &&
                        (address->value == cidr->first() || address->value == cidr->last());
            if (!cidr->contains(*address) || edge) {
                return net_error(400, "InvalidIpForSubnet",
                                 "IP address " + *want.ip_address +
                                     " is not a valid IP for the specified subnet.");
            }
            auto taken = db_.query(
                "SELECT 1 FROM net_ip_allocations WHERE network_id = ? AND ip_address = ?",
                {network_id, format_ip(*address)});
            if (!taken) {
                return db_failure(taken.error());
            }
            if (!taken->empty()) {
                return net_error(409, "IpAddressAlreadyAllocated",
                                 "IP address " + format_ip(*address) +
                                     " already allocated in subnet " + subnet_id);
            }
        } else {
            auto used_rows = db_.query(
                "SELECT ip_address FROM net_ip_allocations WHERE subnet_id = ?", {subnet_id});
            if (!used_rows) {
                return db_failure(used_rows.error());
            }
            std::vector<Uint128> used;
            for (const auto& row : *used_rows) {
                if (auto ip = parse_ip(row.text(0))) {
                    used.push_back(ip->value);
                }
            }
            std::sort(used.begin(), used.end());
            auto free = next_free(pools_of(*subnet), used);
            if (!free) {
                return net_error(409, "IpAddressGenerationFailure",
                                 "No more IP addresses available on network " + network_id + ".");
            }
            address = IpAddress{cidr->version, *free};
        }
        std::string text = format_ip(*address);
        for (const auto& already : fixed_ips) {
            if (already["ip_address"] == text) {
                return net_error(
                    400, "InvalidInput",
                    "Invalid input for operation: Duplicate IP address '" + text + "'.");
            }
        }
        auto inserted = db_.exec(
            "INSERT INTO net_ip_allocations (network_id, ip_address, subnet_id, port_id) VALUES"
            " (?, ?, ?, ?)",
            {network_id, text, subnet_id, port_id});
        if (!inserted) {
            return net_error(409, "IpAddressAlreadyAllocated",
                             "IP address " + text + " already allocated in subnet " + subnet_id);
        }
        fixed_ips.push_back({{"subnet_id", subnet_id}, {"ip_address", text}});
    }
    return fixed_ips;
}

NetResult<json> NetworkStore::create_port(const json& body,
                                          const std::vector<FixedIpRequest>& fixed_ips) {
    json port = body;
    port["id"] = make_uuid();
    if (!port.contains("mac_address") || !port["mac_address"].is_string()) {
        port["mac_address"] = random_mac();
    }
    port["status"] = "ACTIVE";
    port["created_at"] = port["updated_at"] = now();
    port["revision_number"] = 1;
    auto done = in_transaction(db_, [&]() -> NetResult<void> {
        auto network = get(NetKind::kNetwork, port["network_id"].get<std::string>());
        if (!network) {
            return Unexpected(network.error());
        }
        auto ips = allocate(port["network_id"].get<std::string>(), port["id"].get<std::string>(),
                            fixed_ips);
        if (!ips) {
            return Unexpected(ips.error());
        }
        port["fixed_ips"] = *ips;
        return save(NetKind::kPort, port, true);
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return port;
}

NetResult<json> NetworkStore::create_floatingip(const json& body) {
    json fip = body;
    fip["id"] = make_uuid();
    auto done = in_transaction(db_, [&]() -> NetResult<void> {
        const std::string network_id = fip["floating_network_id"].get<std::string>();
        auto network = get(NetKind::kNetwork, network_id);
        if (!network) {
            return Unexpected(network.error());
        }
        if (!(*network).value("router:external", false)) {
            return net_error(400, "BadRequest",
                             "Bad floatingip request: Network " + network_id +
                                 " is not a valid external network.");
        }
        FixedIpRequest want;
        if (fip.contains("subnet_id") && fip["subnet_id"].is_string()) {
            want.subnet_id = fip["subnet_id"].get<std::string>();
        }
        if (fip.contains("floating_ip_address") && fip["floating_ip_address"].is_string()) {
            want.ip_address = fip["floating_ip_address"].get<std::string>();
        }
        std::vector<FixedIpRequest> wanted;
        if (want.subnet_id || want.ip_address) {
            wanted.push_back(want);
        }
        json port =
            device_port(network_id, "network:floatingip", fip["id"].get<std::string>(), "", now());
        auto ips = allocate(network_id, port["id"].get<std::string>(), wanted);
        if (!ips) {
            return Unexpected(ips.error());
        }
        // IPv4 only, as Neutron's floating IPs.
        std::string address;
        for (const auto& ip : *ips) {
            if (parse_ip(ip["ip_address"].get<std::string>())->version == 4) {
                address = ip["ip_address"].get<std::string>();
                break;
            }
        }
        if (address.empty()) {
            return net_error(400, "BadRequest",
                             "Bad floatingip request: Network " + network_id +
                                 " has no IPv4 subnet for floating IPs.");
        }
        port["fixed_ips"] = *ips;
        if (auto saved = save(NetKind::kPort, port, true); !saved) {
            return saved;
        }
        fip["floating_ip_address"] = address;
        fip["floating_port_id"] = port["id"];
        fip["subnet_id"] = (*ips)[0]["subnet_id"];
        fip["port_id"] = nullptr;
        fip["fixed_ip_address"] = nullptr;
        fip["router_id"] = nullptr;
        fip["port_details"] = nullptr;
        fip["status"] = "DOWN";
        fip["created_at"] = fip["updated_at"] = now();
        fip["revision_number"] = 0;
        return save(NetKind::kFloatingIp, fip, true);
    });
    if (!done) {
        return Unexpected(done.error());
    }
    if (body.contains("port_id") && body["port_id"].is_string()) {
        std::optional<std::string> fixed;
        if (body.contains("fixed_ip_address") && body["fixed_ip_address"].is_string()) {
            fixed = body["fixed_ip_address"].get<std::string>();
        }
        auto associated = associate_floatingip(fip["id"].get<std::string>(),
                                               body["port_id"].get<std::string>(), fixed);
        if (!associated) {
            (void)remove(NetKind::kFloatingIp, fip["id"].get<std::string>());
            return Unexpected(associated.error());
        }
        return *associated;
    }
    return fip;
}

NetResult<json> NetworkStore::associate_floatingip(const std::string& id,
                                                   const std::optional<std::string>& port_id,
                                                   const std::optional<std::string>& fixed_ip) {
    json fip;
    auto done = in_transaction(db_, [&]() -> NetResult<void> {
        auto loaded = get(NetKind::kFloatingIp, id);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        fip = std::move(*loaded);
        if (!port_id) {
            fip["port_id"] = nullptr;
            fip["fixed_ip_address"] = nullptr;
            fip["router_id"] = nullptr;
            fip["port_details"] = nullptr;
            fip["status"] = "DOWN";
        } else {
            auto port = get(NetKind::kPort, *port_id);
            if (!port) {
                return Unexpected(port.error());
            }
            if ((*port)["network_id"] == fip["floating_network_id"]) {
                return net_error(400, "BadRequest",
                                 "Bad floatingip request: Port " + *port_id +
                                     " is on the external network of the floating IP.");
            }
            auto chosen = fixed_ip_for_floatingip(*port, fixed_ip);
            if (!chosen) {
                return Unexpected(chosen.error());
            }
            auto router_id = router_for_floatingip(*port, chosen->subnet_id,
                                                   fip["floating_network_id"].get<std::string>());
            if (!router_id) {
                return Unexpected(router_id.error());
            }
            auto others = list(NetKind::kFloatingIp);
            if (!others) {
                return Unexpected(others.error());
            }
            for (const auto& other : *others) {
                if (other["id"] != fip["id"] && other["port_id"] == *port_id &&
                    other["floating_network_id"] == fip["floating_network_id"] &&
                    other["fixed_ip_address"] == chosen->ip_address) {
                    return net_error(409, "FloatingIPPortAlreadyAssociated",
                                     "Cannot associate floating IP " +
                                         fip["floating_ip_address"].get<std::string>() + " (" + id +
                                         ") with port " + *port_id + " using fixed IP " +
                                         chosen->ip_address +
                                         ", as that fixed IP already has a floating IP"
                                         " on external network " +
                                         other["floating_network_id"].get<std::string>() + ".");
                }
            }
            fip["port_id"] = *port_id;
            fip["fixed_ip_address"] = chosen->ip_address;
            fip["router_id"] = *router_id;
            fip["status"] = "ACTIVE";
            fip["port_details"] = {{"name", (*port)["name"]},
                                   {"network_id", (*port)["network_id"]},
                                   {"mac_address", (*port)["mac_address"]},
                                   {"admin_state_up", (*port)["admin_state_up"]},
                                   {"status", (*port)["status"]},
                                   {"device_id", (*port)["device_id"]},
                                   {"device_owner", (*port)["device_owner"]}};
        }
        touch(fip);
        return save(NetKind::kFloatingIp, fip, false);
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return fip;
}

NetResult<json> NetworkStore::update(NetKind kind, const std::string& id, const json& changes) {
    json object;
    auto done = in_transaction(db_, [&]() -> NetResult<void> {
        auto loaded = get(kind, id);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        object = std::move(*loaded);
        for (const auto& [key, value] : changes.items()) {
            object[key] = value;
        }
        touch(object);
        return save(kind, object, false);
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return object;
}

}  // namespace octane::networking
