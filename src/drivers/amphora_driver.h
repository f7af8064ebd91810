#pragma once

// The amphora seam (Octavia's compute + amphora drivers together): start an amphora for a load
// balancer, push the load balancer's complete desired state to it, fail it over, remove it.
// The desired state is the API-shaped graph of the load balancer (listeners with their L7
// policies and rules, pools with members and health monitor), which the renderer turns into an
// haproxy.cfg for drivers that run a real engine. For ACTIVE_STANDBY the graph also carries
// "topology", "vrrp_group" and "amphorae" (every amphora's role, vrrp_ip and priority), from which
// a driver that runs keepalived renders each amphora's keepalived.conf.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::drivers {

struct AmphoraInfo {
    std::string id;
    std::string compute_id;
    std::string lb_network_ip;
    std::string cert_expiration;  // ISO-8601, empty when not applicable
    std::string image_id;
    std::string compute_flavor;
    // The amphora's port on the VIP network (empty when it has none) and its address there.
    std::string vrrp_ip;
    std::string vrrp_port_id;
    std::string vrrp_interface;
    std::string cached_zone;  // the (simulated) compute host it runs on
};

// How the worker wants an amphora placed (Octavia's compute flavor/server group in one place).
struct AmphoraRequest {
    // Anti-affinity: the (simulated) compute hosts of its peer, avoided as the network driver's
    // `[nova]` anti-affinity policy says.
    std::vector<std::string> avoid_hosts;
    // ACTIVE_STANDBY: the VIP belongs to keepalived, which adds it on the MASTER only; the
    // amphora's VIP interface gets just its own (VRRP) address.
    bool vrrp = false;
};

class AmphoraDriver {
  public:
    virtual ~AmphoraDriver() = default;
    // Boots an amphora with the given id for the load balancer; returns where it runs.
    virtual Result<AmphoraInfo> create_amphora(const std::string& amphora_id,
                                               const nlohmann::json& load_balancer,
                                               const AmphoraRequest& request) = 0;
    // Makes the amphora serve exactly this load balancer graph (upload + reload).
    virtual Result<void> apply(const AmphoraInfo& amphora, const nlohmann::json& load_balancer) = 0;
    // Stops and removes the amphora and everything it left on the host.
    virtual Result<void> delete_amphora(const AmphoraInfo& amphora) = 0;
};

class NoopAmphoraDriver final : public AmphoraDriver {
  public:
    Result<AmphoraInfo> create_amphora(const std::string& amphora_id,
                                       const nlohmann::json& load_balancer,
                                       const AmphoraRequest& request) override;
    Result<void> apply(const AmphoraInfo& amphora, const nlohmann::json& load_balancer) override;
    Result<void> delete_amphora(const AmphoraInfo& amphora) override;
};

}  // namespace octane::drivers
