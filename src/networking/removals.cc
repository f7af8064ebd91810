// NetworkStore::remove: deletions with Neutron's in-use rules (409 NetworkInUse / SubnetInUse).

#include <spdlog/spdlog.h>

#include "networking/network_store.h"

namespace octane::networking {
namespace {

using nlohmann::json;

Unexpected<NetError> db_failure(const Error& error) {
    spdlog::error("networking storage: {}", error.message);
    return net_error(500, "HTTPInternalServerError", "Request Failed: internal server error.");
}

}  // namespace

NetResult<void> NetworkStore::remove(NetKind kind, const std::string& id) {
    std::optional<NetError> failure;
    auto fail = [&](NetError error) -> Result<void> {
        failure = std::move(error);
        return make_error("rolled back");
    };
    auto exec = [&](const std::string& sql, const std::vector<db::Value>& params) -> bool {
        auto done = db_.exec(sql, params);
        if (!done) {
            failure = db_failure(done.error()).error();
        }
        return done.has_value();
    };
    auto done = db_.transaction([&]() -> Result<void> {
        auto object = get(kind, id);
        if (!object) {
            return fail(object.error());
        }
        switch (kind) {
            case NetKind::kNetwork: {
                auto ports =
                    db_.query("SELECT 1 FROM net_ports WHERE network_id = ? LIMIT 1", {id});
                if (!ports) {
                    return fail(db_failure(ports.error()).error());
                }
                if (!ports->empty()) {
                    return fail({409, "NetworkInUse",
                                 "Unable to complete operation on network " + id +
                                     ". There are one or more ports still in use on the"
                                     " network."});
                }
                if (!exec("DELETE FROM net_subnets WHERE network_id = ?", {id}) ||
                    !exec("DELETE FROM net_networks WHERE id = ?", {id})) {
                    return make_error("rolled back");
                }
                return {};
            }
            case NetKind::kSubnet: {
                auto used =
                    db_.query("SELECT 1 FROM net_ip_allocations WHERE subnet_id = ? LIMIT 1", {id});
                if (!used) {
                    return fail(db_failure(used.error()).error());
                }
                if (!used->empty()) {
                    return fail({409, "SubnetInUse",
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
                        return fail(saved.error());
                    }
                }
                if (!exec("DELETE FROM net_subnets WHERE id = ?", {id})) {
                    return make_error("rolled back");
                }
                return {};
            }
            case NetKind::kPort: {
                auto fips = list(NetKind::kFloatingIp);
                if (!fips) {
                    return fail(fips.error());
                }
                for (auto fip : *fips) {
                    if (fip["port_id"] == id) {
                        fip["port_id"] = nullptr;
                        fip["fixed_ip_address"] = nullptr;
                        fip["port_details"] = nullptr;
                        fip["status"] = "DOWN";
                        if (auto saved = save(NetKind::kFloatingIp, fip, false); !saved) {
                            return fail(saved.error());
                        }
                    }
                }
                if (!exec("DELETE FROM net_ip_allocations WHERE port_id = ?", {id}) ||
                    !exec("DELETE FROM net_ports WHERE id = ?", {id})) {
                    return make_error("rolled back");
                }
                return {};
            }
            case NetKind::kFloatingIp: {
                std::string port = (*object).value("floating_port_id", "");
                if (!exec("DELETE FROM net_ip_allocations WHERE port_id = ?", {port}) ||
                    !exec("DELETE FROM net_ports WHERE id = ?", {port}) ||
                    !exec("DELETE FROM net_floatingips WHERE id = ?", {id})) {
                    return make_error("rolled back");
                }
                return {};
            }
        }
        return {};
    });
    if (failure) {
        return Unexpected(*failure);
    }
    if (!done) {
        return db_failure(done.error());
    }
    return {};
}

}  // namespace octane::networking
