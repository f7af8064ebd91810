#pragma once

// Octavia's network noop driver: accepts any subnet/network/port id and invents the rest,
// deterministically (name-based UUIDs), so repeated runs and restarts agree. Nothing is created.

#include "drivers/network_driver.h"

namespace octane::drivers {

class NoopNetworkDriver final : public NetworkDriver {
  public:
    Result<Vip, NetworkError> allocate_vip(const VipRequest& request) override;
    Result<void> deallocate_vip(const std::string& load_balancer_id, const Vip& vip) override;
};

}  // namespace octane::drivers
