#pragma once

// The network seam (Octavia's network driver): VIP ports and, later, member networks and floating
// IPs. The API allocates the VIP while creating a load balancer (as Octavia does); the worker
// releases it when the load balancer is deleted.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace octane::drivers {

// Who asks, as the networking service sees it (Octavia looks subnets, networks and ports up with
// the user's own token): admin (role admin, or noauth) sees every object, others what Neutron
// shows their project. The default is the unrestricted view of a service with no caller.
struct NetworkCaller {
    std::optional<std::string> project_id;
    bool admin = true;
};

// One more address of the VIP (additional_vips): a fixed IP on another subnet of the VIP network.
struct AdditionalVipRequest {
    std::string subnet_id;
    std::optional<std::string> address;
    std::optional<std::string> port_id;
};

struct AdditionalVip {
    std::string subnet_id;
    std::string address;
    std::optional<std::string> port_id;  // the VIP port that holds it, when the driver has ports
};

struct VipRequest {
    std::string load_balancer_id;
    std::string project_id;
    std::optional<std::string> address;
    std::optional<std::string> port_id;
    std::optional<std::string> subnet_id;
    std::optional<std::string> network_id;
    std::vector<AdditionalVipRequest> additional;  // subnets distinct from each other
    NetworkCaller caller;  // unknown or invisible subnets/networks/ports are "not found"
};

struct Vip {
    std::string address;
    std::string port_id;
    std::string subnet_id;
    std::string network_id;
    std::vector<AdditionalVip> additional;  // in the order requested
};

// Failures carry an HTTP status for the API (400 InvalidSubresource, 409 address in use).
struct NetworkError {
    int status = 400;
    std::string message;
};

class NetworkDriver {
  public:
    virtual ~NetworkDriver() = default;
    virtual Result<Vip, NetworkError> allocate_vip(const VipRequest& request) = 0;
    virtual Result<void> deallocate_vip(const std::string& load_balancer_id, const Vip& vip) = 0;
    // Member subnet_id validation (400 "Subnet <id> not found." also when caller cannot see it);
    // drivers that know no subnets (noop) accept every id.
    virtual Result<void, NetworkError> check_subnet(const std::string& /*subnet_id*/,
                                                    const NetworkCaller& /*caller*/) {
        return {};
    }
};

}  // namespace octane::drivers
