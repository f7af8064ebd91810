#pragma once

// The `local` network driver: VIPs are real ports of the built-in Neutron subset (IPAM in the
// database), so vip_port_id resolves in /networking/v2.0/ports and an address is never handed out
// twice. The realisation on the host (loopback ranges, bridges, NAT) is a later driver's job.

#include "drivers/network_driver.h"
#include "networking/network_store.h"

namespace octane::networking {

class LocalNetworkDriver final : public drivers::NetworkDriver {
  public:
    explicit LocalNetworkDriver(NetworkStore& store) : store_(store) {}
    Result<drivers::Vip, drivers::NetworkError> allocate_vip(
        const drivers::VipRequest& request) override;
    Result<void> deallocate_vip(const std::string& load_balancer_id,
                                const drivers::Vip& vip) override;
    Result<void, drivers::NetworkError> check_subnet(const std::string& subnet_id,
                                                     const drivers::NetworkCaller& caller) override;

  private:
    struct VipPlace {
        std::string network_id;
        std::string subnet_id;
    };

    // The object when it exists and caller may see it (Neutron's visibility).
    std::optional<nlohmann::json> find(NetKind kind, const std::string& id,
                                       const drivers::NetworkCaller& caller);
    Result<VipPlace, drivers::NetworkError> vip_place(const drivers::VipRequest& request);
    // The VIP on a port the user made (vip_port_id).
    Result<drivers::Vip, drivers::NetworkError> existing_port_vip(
        const drivers::VipRequest& request);

    Result<void, drivers::NetworkError> check_additional_subnets(const drivers::VipRequest& request,
                                                                 const std::string& primary_subnet,
                                                                 const std::string& network_id);

    NetworkStore& store_;
};

}  // namespace octane::networking
