#pragma once

// The Neutron subset's data: networks, subnets, ports, floating IPs, and IP allocations, over the
// Database seam. Each object is stored as its Neutron JSON representation (attrs) next to the
// columns queries need; net_ip_allocations has one row per address in use, whose primary key
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

enum class NetKind { kNetwork, kSubnet, kPort, kFloatingIp };

// 404 in Neutron's words: "Subnet <id> could not be found." (type SubnetNotFound).
NetError not_found_error(NetKind kind, const std::string& id);

// "network", "subnet", "port", "floatingip" and the collection names with an "s".
const char* kind_name(NetKind kind);

// One requested fixed IP of a port: a subnet, an address, or both.
struct FixedIpRequest {
    std::optional<std::string> subnet_id;
    std::optional<std::string> ip_address;
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

    // Updates of plain attributes (names, descriptions, device fields, admin_state_up).
    NetResult<nlohmann::json> update(NetKind kind, const std::string& id,
                                     const nlohmann::json& changes);
    // Floating IP association: port_id null disassociates.
    NetResult<nlohmann::json> associate_floatingip(const std::string& id,
                                                   const std::optional<std::string>& port_id,
                                                   const std::optional<std::string>& fixed_ip);

    NetResult<void> remove(NetKind kind, const std::string& id);

  private:
    NetResult<std::vector<nlohmann::json>> allocate(const std::string& network_id,
                                                    const std::string& port_id,
                                                    const std::vector<FixedIpRequest>& fixed_ips);
    NetResult<void> save(NetKind kind, const nlohmann::json& object, bool insert);
    std::string now() const;

    db::Database& db_;
    const Clock& clock_;
};

// Neutron's timestamp format "YYYY-MM-DDTHH:MM:SSZ".
std::string neutron_time(const std::string& octavia_time);

}  // namespace octane::networking
