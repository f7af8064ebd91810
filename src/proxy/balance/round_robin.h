#pragma once

// Weighted round robin, smooth interleaving (each pick adds every eligible server's weight to
// its credit and takes the largest credit, minus the total): weights 1:1 alternate 1,2,1,2 and
// 3:1 gives a,a,b,a, spreading heavy servers as HAProxy's fwrr does instead of bursting them.
// A server coming back starts with zero credit so it does not receive a burst.
// O(n) per pick over the eligible set; Octavia pools are small, and a tree (fwrr) would buy
// nothing measurable at these sizes.

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class RoundRobin final : public Balancer {
  public:
    RoundRobin(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups), credit_(specs_.size(), 0) {}
    std::optional<int> pick(const PickContext& ctx) override;

  protected:
    void on_eligible_changed() override;

  private:
    std::vector<int64_t> credit_;
};

}  // namespace octane::proxy::balance
