#pragma once

// Weighted least connections: the eligible server with the lowest conns/weight ratio; ties go
// round robin (scan starts after the previous pick), matching HAProxy's fwlc requeue-at-end.

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class LeastConn final : public Balancer {
  public:
    LeastConn(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups) {}
    std::optional<int> pick(const PickContext& ctx) override;

  private:
    size_t cursor_ = 0;
};

}  // namespace octane::proxy::balance
