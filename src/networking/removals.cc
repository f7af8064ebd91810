// NetworkStore::remove: deletions with Neutron's in-use rules (409 NetworkInUse / SubnetInUse /
// RouterInUse).

#include "networking/net_transaction.h"
#include "networking/network_store.h"

namespace octane::networking {
using nlohmann::json;

NetResult<void> NetworkStore::remove(NetKind kind, const std::string& id) {
    using Statement = std::pair<std::string, std::vector<db::Value>>;
    auto exec_all = [&](std::initializer_list<Statement> statements) -> NetResult<void> {
        for (const auto& [sql, params] : statements) {
            if (auto done = db_.exec(sql, params); !done) {
                return db_failure(done.error());
            }
        }
        return {};
    };
    return in_transaction(db_, [&]() -> NetResult<void> {
        auto object = get(kind, id);
        if (!object) {
            return Unexpected(object.error());
        }
        switch (kind) {
            case NetKind::kNetwork: {
                auto ports =
                    db_.query("SELECT 1 FROM net_ports WHERE network_id = ? LIMIT 1", {id});
                if (!ports) {
                    return db_failure(ports.error());
                }
                if (!ports->empty()) {
                    return Unexpected(
                        NetError{409, "NetworkInUse",
                                 "Unable to complete operation on network " + id +
                                     ". There are one or more ports still in use on the"
                                     " network."});
                }
                return exec_all({{"DELETE FROM net_subnets WHERE network_id = ?", {id}},
                                 {"DELETE FROM net_networks WHERE id = ?", {id}}});
            }
            case NetKind::kSubnet: {
                auto used =
                    db_.query("SELECT 1 FROM net_ip_allocations WHERE subnet_id = ? LIMIT 1", {id});
                if (!used) {
                    return db_failure(used.error());
                }
                if (!used->empty()) {
                    return Unexpected(
                        NetError{409, "SubnetInUse",
                                 "Unable to complete operation on subnet " + id +
                                     ": One or more ports have an IP allocation from this"
                                     " subnet."});
                }
                auto network = get(NetKind::kNetwork, (*object)["network_id"].get<std::string>());
                if (network) {
                    json kept = json::array();
                    for (const auto& subnet : (*network)["subnets"]) {
                        if (subnet != id) {
                            kept.push_back(subnet);
                        }
                    }
                    (*network)["subnets"] = kept;
                    if (auto saved = save(NetKind::kNetwork, *network, false); !saved) {
                        return Unexpected(saved.error());
                    }
                }
                return exec_all({{"DELETE FROM net_subnets WHERE id = ?", {id}}});
            }
            case NetKind::kPort: {
                auto fips = list(NetKind::kFloatingIp);
                if (!fips) {
                    return Unexpected(fips.error());
                }
                for (auto fip : *fips) {
                    if (fip["port_id"] == id) {
                        fip["port_id"] = nullptr;
                        fip["fixed_ip_address"] = nullptr;
                        fip["router_id"] = nullptr;
                        fip["port_details"] = nullptr;
                        fip["status"] = "DOWN";
                        if (auto saved = save(NetKind::kFloatingIp, fip, false); !saved) {
                            return Unexpected(saved.error());
                        }
                    }
                }
                return forget_port(id);
            }
            case NetKind::kFloatingIp: {
                std::string port = (*object).value("floating_port_id", "");
                return exec_all({{"DELETE FROM net_ip_allocations WHERE port_id = ?", {port}},
                                 {"DELETE FROM net_ports WHERE id = ?", {port}},
                                 {"DELETE FROM net_floatingips WHERE id = ?", {id}}});
            }
            case NetKind::kRouter:
                return remove_router(id);
        }
        return {};
    });
}

}  // namespace octane::networking
