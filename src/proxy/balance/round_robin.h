#pragma once

// `balance roundrobin`, weighted and smooth (HAProxy's lb_fwrr behaviour): each server in use
// holds a position on a virtual time line and advances by 1/weight each time it is picked; the
// pick is the earliest position. Weights 1:1 alternate 0,1,0,1 and 3:1 give a,a,b,a, spreading
// heavy servers instead of bursting them. A server that comes back (or is re-weighted) joins at
// the current time, half a step ahead, so it does not receive a burst to catch up.
// O(log n) per pick: the positions are an ordered tree per group.

#include <set>
#include <utility>

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class RoundRobin final : public Balancer {
  public:
    RoundRobin(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups), pos_(size(), 0) {}

  protected:
    void add(int id) override;
    void remove(int id) override;
    void reweight(int id, int old_weight) override;
    int choose(int group, const PickContext& ctx) override;

  private:
    // One step of a weight-1 server; steps of heavier servers are this divided by the weight
    // (at most 256, so the rounding is below 2^-24 of a step).
    static constexpr uint64_t kStep = uint64_t{1} << 32;
    uint64_t step(int id) const { return kStep / static_cast<uint64_t>(weight(id)); }
    void rebase(int group);

    std::vector<uint64_t> pos_;
    std::set<std::pair<uint64_t, int>> tree_[2];  // (position, server), ties in declaration order
    uint64_t now_[2] = {0, 0};                    // position of the last pick
};

}  // namespace octane::proxy::balance
