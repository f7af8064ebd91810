#include "networking/network_store.h"

#include "common/uuid.h"
#include "networking/cidr.h"
#include "networking/ipam.h"
#include "networking/net_transaction.h"

namespace octane::networking {
namespace {

using nlohmann::json;

const char* table_of(NetKind kind) {
    switch (kind) {
        case NetKind::kNetwork:
            return "net_networks";
        case NetKind::kSubnet:
            return "net_subnets";
        case NetKind::kPort:
            return "net_ports";
        case NetKind::kFloatingIp:
            return "net_floatingips";
        case NetKind::kRouter:
            return "net_routers";
    }
    return "";
}

const char* not_found_type(NetKind kind) {
    switch (kind) {
        case NetKind::kNetwork:
            return "NetworkNotFound";
        case NetKind::kSubnet:
            return "SubnetNotFound";
        case NetKind::kPort:
            return "PortNotFound";
        case NetKind::kFloatingIp:
            return "FloatingIPNotFound";
        case NetKind::kRouter:
            return "RouterNotFound";
    }
    return "";
}

std::string not_found_message(NetKind kind, const std::string& id) {
    switch (kind) {
        case NetKind::kNetwork:
            return "Network " + id + " could not be found.";
        case NetKind::kSubnet:
            return "Subnet " + id + " could not be found.";
        case NetKind::kPort:
            return "Port " + id + " could not be found.";
        case NetKind::kFloatingIp:
            return "Floating IP " + id + " could not be found";
        case NetKind::kRouter:
            return "Router " + id + " could not be found";
    }
    return "";
}

// The network_id column of an object: the network it lives on (a router: its gateway's).
std::string network_column(NetKind kind, const json& object) {
    switch (kind) {
        case NetKind::kNetwork:
            return object["id"].get<std::string>();
        case NetKind::kFloatingIp:
            return object["floating_network_id"].get<std::string>();
        case NetKind::kRouter: {
            const json gateway = object.value("external_gateway_info", json(nullptr));
            return gateway.is_object() ? gateway["network_id"].get<std::string>() : "";
        }
        case NetKind::kSubnet:
        case NetKind::kPort:
            break;
    }
    return object["network_id"].get<std::string>();
}

}  // namespace

NetError not_found_error(NetKind kind, const std::string& id) {
    return {404, not_found_type(kind), not_found_message(kind, id)};
}

const char* kind_name(NetKind kind) {
    switch (kind) {
        case NetKind::kNetwork:
            return "network";
        case NetKind::kSubnet:
            return "subnet";
        case NetKind::kPort:
            return "port";
        case NetKind::kFloatingIp:
            return "floatingip";
        case NetKind::kRouter:
            return "router";
    }
    return "";
}

std::string neutron_time(const std::string& octavia_time) {
    return octavia_time + "Z";
}

Result<void> migrate_networking(db::Database& db) {
    static const char* const kStatements[] = {
        "CREATE TABLE IF NOT EXISTS net_networks (id TEXT PRIMARY KEY, network_id TEXT,"
        " project_id TEXT, attrs TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS net_subnets (id TEXT PRIMARY KEY, network_id TEXT NOT NULL,"
        " project_id TEXT, attrs TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS net_ports (id TEXT PRIMARY KEY, network_id TEXT NOT NULL,"
        " project_id TEXT, mac_address TEXT NOT NULL UNIQUE, attrs TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS net_floatingips (id TEXT PRIMARY KEY, network_id TEXT NOT"
        " NULL, project_id TEXT, attrs TEXT NOT NULL)",
        // One row per address in use: the primary key is the "never twice" guarantee.
        "CREATE TABLE IF NOT EXISTS net_ip_allocations (network_id TEXT NOT NULL, ip_address"
        " TEXT NOT NULL, subnet_id TEXT NOT NULL, port_id TEXT NOT NULL, PRIMARY KEY"
        " (network_id, ip_address))",
        "CREATE INDEX IF NOT EXISTS net_ip_allocations_subnet ON net_ip_allocations"
        " (subnet_id)",
        "CREATE INDEX IF NOT EXISTS net_ip_allocations_port ON net_ip_allocations (port_id)",
        // Routers: network_id is the external network of the gateway ('' without one), the
        // column floating IP association looks routers up by.
        "CREATE TABLE IF NOT EXISTS net_routers (id TEXT PRIMARY KEY, network_id TEXT NOT NULL,"
        " project_id TEXT, attrs TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS net_routers_network ON net_routers (network_id)",
        // The ports a router owns: its gateway (network:router_gateway) and its interfaces
        // (network:router_interface), as Neutron's routerports.
        "CREATE TABLE IF NOT EXISTS net_router_ports (port_id TEXT PRIMARY KEY, router_id TEXT NOT"
        " NULL, port_type TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS net_router_ports_router ON net_router_ports (router_id)",
    };
    return db.transaction([&]() -> Result<void> {
        for (const char* statement : kStatements) {
            if (auto done = db.exec(statement, {}); !done) {
                return Unexpected(done.error());
            }
        }
        if (db.dialect() != db::Dialect::kPostgres) {
            return {};
        }
        // Lists come in creation order (ORDER BY rowid), as Neutron's do; SQLite keeps a rowid
        // by itself, PostgreSQL gets it as a column.
        for (const char* table : {"net_networks", "net_subnets", "net_ports", "net_floatingips",
                                  "net_routers", "net_router_ports"}) {
            auto added = db.exec(
                std::string("ALTER TABLE ") + table + " ADD COLUMN IF NOT EXISTS rowid BIGSERIAL",
                {});
            if (!added) {
                return Unexpected(added.error());
            }
        }
        return {};
    });
}

std::string NetworkStore::now() const {
    return neutron_time(format_timestamp(clock_.now()));
}

void NetworkStore::touch(json& object) const {
    object["updated_at"] = now();
    object["revision_number"] = object.value("revision_number", 0) + 1;
}

NetResult<json> NetworkStore::get(NetKind kind, const std::string& id) {
    auto rows =
        db_.query(std::string("SELECT attrs FROM ") + table_of(kind) + " WHERE id = ?", {id});
    if (!rows) {
        return db_failure(rows.error());
    }
    if (rows->empty()) {
        return net_error(404, not_found_type(kind), not_found_message(kind, id));
    }
    return json::parse(rows->front().text(0));
}

NetResult<std::vector<json>> NetworkStore::list(NetKind kind) {
    auto rows = db_.query(std::string("SELECT attrs FROM ") + table_of(kind) + " ORDER BY rowid");
    if (!rows) {
        return db_failure(rows.error());
    }
    std::vector<json> out;
    for (const auto& row : *rows) {
        out.push_back(json::parse(row.text(0)));
    }
    return out;
}

NetResult<void> NetworkStore::save(NetKind kind, const json& object, bool insert) {
    std::string network_id = network_column(kind, object);
    Result<int64_t> done = 0;
    if (!insert) {
        done = db_.exec(
            std::string("UPDATE ") + table_of(kind) + " SET attrs = ?, network_id = ? WHERE id = ?",
            {object.dump(), network_id, object["id"].get<std::string>()});
    } else if (kind == NetKind::kPort) {
        done = db_.exec(
            "INSERT INTO net_ports (id, network_id, project_id, mac_address, attrs) VALUES"
            " (?, ?, ?, ?, ?)",
            {object["id"].get<std::string>(), network_id, object["project_id"].get<std::string>(),
             object["mac_address"].get<std::string>(), object.dump()});
    } else {
        done = db_.exec(std::string("INSERT INTO ") + table_of(kind) +
                            " (id, network_id, project_id, attrs) VALUES (?, ?, ?, ?)",
                        {object["id"].get<std::string>(), network_id,
                         object["project_id"].get<std::string>(), object.dump()});
    }
    if (!done) {
        if (kind == NetKind::kPort && insert) {
            return net_error(409, "MacAddressInUse",
                             "Unable to complete operation for network " + network_id +
                                 ". The mac address " + object["mac_address"].get<std::string>() +
                                 " is in use.");
        }
        return db_failure(done.error());
    }
    return {};
}

NetResult<json> NetworkStore::create_network(const json& body) {
    json network = body;
    network["id"] = make_uuid();
    network["subnets"] = json::array();
    network["status"] = "ACTIVE";
    network["created_at"] = network["updated_at"] = now();
    network["revision_number"] = 1;
    if (auto saved = save(NetKind::kNetwork, network, true); !saved) {
        return Unexpected(saved.error());
    }
    return network;
}

NetResult<json> NetworkStore::create_subnet(const json& body) {
    json subnet = body;
    auto done = in_transaction(db_, [&]() -> NetResult<void> {
        auto network = get(NetKind::kNetwork, subnet["network_id"].get<std::string>());
        if (!network) {
            return Unexpected(network.error());
        }
        auto cidr = parse_cidr(subnet["cidr"].get<std::string>());
        auto siblings = db_.query("SELECT attrs FROM net_subnets WHERE network_id = ?",
                                  {subnet["network_id"].get<std::string>()});
        if (!siblings) {
            return db_failure(siblings.error());
        }
        for (const auto& row : *siblings) {
            json other = json::parse(row.text(0));
            auto other_cidr = parse_cidr(other["cidr"].get<std::string>());
            if (other_cidr && overlaps(*cidr, *other_cidr)) {
                return net_error(
                    400, "BadRequest",
                    "Invalid input for operation: Requested subnet with cidr: " + cidr->text() +
                        " for network: " + subnet["network_id"].get<std::string>() +
                        " overlaps with another subnet.");
            }
        }
        subnet["id"] = make_uuid();
        subnet["created_at"] = subnet["updated_at"] = now();
        subnet["revision_number"] = 0;
        if (auto saved = save(NetKind::kSubnet, subnet, true); !saved) {
            return saved;
        }
        (*network)["subnets"].push_back(subnet["id"]);
        (*network)["updated_at"] = now();
        return save(NetKind::kNetwork, *network, false);
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return subnet;
}

}  // namespace octane::networking
