#pragma once

// The Neutron subset's data: networks, subnets, ports, floating IPs, routers, and IP allocations,
// over the Database seam. Each object is stored as its Neutron JSON representation (attrs) next to
// the columns queries need; net_ip_allocations has one row per address in use, whose primary key
// (network_id, ip_address) guarantees an address is never handed out twice. Every change runs in
// one transaction: nothing is half-written.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "db/database.h"

namespace octane::networking {

// A Neutron fault: HTTP status, the exception type name ("SubnetNotFound"), the message.
struct NetError {
    int status = 400;
    std::string type = "HTTPBadRequest";
    std::string message;
};

template <typename T>
using NetResult = Result<T, NetError>;

inline Unexpected<NetError> net_error(int status, std::string type, std::string message) {
    return Unexpected(NetError{status, std::move(type), std::move(message)});
}

enum class NetKind { kNetwork, kSubnet, kPort, kFloatingIp, kRouter };

// 404 in Neutron's words: "Subnet <id> could not be found." (type SubnetNotFound).
NetError not_found_error(NetKind kind, const std::string& id);

// "network", "subnet", "port", "floatingip", "router" (collections: with an "s").
const char* kind_name(NetKind kind);

// One requested fixed IP of a port: a subnet, an address, or both.
struct FixedIpRequest {
    std::optional<std::string> subnet_id;
    std::optional<std::string> ip_address;
};

// A router's external gateway as asked for: the external network, SNAT, and the addresses wanted
// on it (none: one picked per IP version, as for a port).
struct GatewayRequest {
    std::string network_id;
    bool enable_snat = true;
    std::vector<FixedIpRequest> external_fixed_ips;
};

// A PUT's external_gateway_info: not given (untouched), null or {} (cleared), or a gateway.
struct GatewayChange {
    bool given = false;
    std::optional<GatewayRequest> gateway;
};

// add_router_interface / remove_router_interface: a subnet, a port, or (removal only) both.
struct InterfaceRequest {
    std::optional<std::string> subnet_id;
    std::optional<std::string> port_id;
};

Result<void> migrate_networking(db::Database& db);

class NetworkStore {
  public:
    NetworkStore(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    NetResult<nlohmann::json> get(NetKind kind, const std::string& id);
    NetResult<std::vector<nlohmann::json>> list(NetKind kind);

    // body: the validated attributes given by the caller (project_id already decided).
    NetResult<nlohmann::json> create_network(const nlohmann::json& body);
    NetResult<nlohmann::json> create_subnet(const nlohmann::json& body);
    NetResult<nlohmann::json> create_port(const nlohmann::json& body,
                                          const std::vector<FixedIpRequest>& fixed_ips);
    NetResult<nlohmann::json> create_floatingip(const nlohmann::json& body);
    NetResult<nlohmann::json> create_router(const nlohmann::json& body,
                                            const std::optional<GatewayRequest>& gateway);

    // Updates of plain attributes (names, descriptions, device fields, admin_state_up).
    NetResult<nlohmann::json> update(NetKind kind, const std::string& id,
                                     const nlohmann::json& changes);
    // Floating IP association: port_id null disassociates.
    NetResult<nlohmann::json> associate_floatingip(const std::string& id,
                                                   const std::optional<std::string>& port_id,
                                                   const std::optional<std::string>& fixed_ip);

    // Plain attributes and the external gateway in one transaction; the gateway port follows
    // the gateway (made, re-addressed, or deleted).
    NetResult<nlohmann::json> update_router(const std::string& id, const nlohmann::json& changes,
                                            const GatewayChange& gateway);
    // Both answer Neutron's interface info: {id, tenant_id, project_id, port_id, network_id,
    // subnet_id, subnet_ids}.
    NetResult<nlohmann::json> add_router_interface(const std::string& router_id,
                                                   const InterfaceRequest& request);
    NetResult<nlohmann::json> remove_router_interface(const std::string& router_id,
                                                      const InterfaceRequest& request);

    NetResult<void> remove(NetKind kind, const std::string& id);

  private:
    // The router that carries floating IPs of external_network_id to port's fixed IP on
    // subnet_id (Neutron's get_router_for_floatingip), or 404
    // ExternalGatewayForFloatingIPNotFound.
    NetResult<std::string> router_for_floatingip(const nlohmann::json& port,
                                                 const std::string& subnet_id,
                                                 const std::string& external_network_id);
    NetResult<void> remove_router(const std::string& id);
    // remove_router_interface by port (and maybe subnet) and by subnet alone; interfaces: the
    // router's interface ports.
    NetResult<nlohmann::json> remove_interface_port(const std::string& router_id,
                                                    const std::vector<nlohmann::json>& interfaces,
                                                    const InterfaceRequest& request);
    NetResult<nlohmann::json> remove_interface_subnet(const std::string& router_id,
                                                      const std::vector<nlohmann::json>& interfaces,
                                                      const std::string& subnet_id);
    NetResult<void> change_gateway(nlohmann::json& router, const GatewayChange& change);
    NetResult<void> attach_gateway(nlohmann::json& router, const GatewayRequest& gateway);
    NetResult<void> detach_gateway(nlohmann::json& router);
    // Saves port (insert: a new one) as owned by the router, with its net_router_ports row.
    NetResult<nlohmann::json> own_port(const std::string& router_id, nlohmann::json port,
                                       const std::string& port_type, bool insert);
    NetResult<std::vector<nlohmann::json>> router_ports(const std::string& router_id,
                                                        const std::string& port_type);
    // 400 when the router already has an interface on one of the subnets or an overlapping one.
    NetResult<void> check_new_subnets(const std::string& router_id,
                                      const std::vector<std::string>& subnet_ids);
    // 400 InvalidRoutes unless every nexthop of the router's routes lies on a subnet of one of
    // its ports and is none of its own addresses.
    NetResult<void> check_routes(const nlohmann::json& router);
    // 409 when a floating IP through the router maps to an address of the subnet, or a route's
    // nexthop lies on it.
    NetResult<void> confirm_interface_unused(const std::string& router_id,
                                             const std::string& subnet_id);
    // Deletes a port with its addresses and router ownership.
    NetResult<void> forget_port(const std::string& port_id);
    NetResult<std::vector<nlohmann::json>> allocate(const std::string& network_id,
                                                    const std::string& port_id,
                                                    const std::vector<FixedIpRequest>& fixed_ips);
    NetResult<void> save(NetKind kind, const nlohmann::json& object, bool insert);
    std::string now() const;
    // Marks a change of object: updated_at now, revision_number one up.
    void touch(nlohmann::json& object) const;

    db::Database& db_;
    const Clock& clock_;
};

// Neutron's timestamp format "YYYY-MM-DDTHH:MM:SSZ".
std::string neutron_time(const std::string& octavia_time);

}  // namespace octane::networking
