#pragma once

// `balance roundrobin`, weighted and smooth (HAProxy's lb_fwrr behaviour): each server in use
// holds a position on a virtual time line and advances by 1/weight each time it is picked; the
// pick is the earliest position. Weights 1:1 alternate 0,1,0,1 and 3:1 give a,a,b,a, spreading
// heavy servers instead of bursting them. A server that comes back (or is re-weighted) joins at
// the current time, half a step ahead, so it does not receive a burst to catch up.
// O(log n) per pick: one indexed heap of positions per group.

#include "proxy/balance/balancer.h"
#include "proxy/balance/indexed_heap.h"

namespace octane::proxy::balance {

class RoundRobin final : public Balancer {
  public:
    RoundRobin(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups),
          pos_(size(), 0),
          heap_{{pos_.size(), ByPos{&pos_}}, {pos_.size(), ByPos{&pos_}}} {}

  protected:
    void add(int id) override;
    void remove(int id) override { heap_[group_of(id)].erase(id); }
    void reweight(int id, int old_weight) override;
    int choose(int group, const PickContext& ctx) override;

  private:
    // One step of a weight-1 server; steps of heavier servers are this divided by the weight
    // (at most 256, so the rounding is below 2^-24 of a step).
    static constexpr uint64_t kStep = uint64_t{1} << 32;
    uint64_t step(int id) const { return kStep / static_cast<uint64_t>(weight(id)); }
    void rebase(int group);

    struct ByPos {
        const std::vector<uint64_t>* pos;
        // Ties in declaration order.
        bool operator()(int a, int b) const {
            return (*pos)[a] != (*pos)[b] ? (*pos)[a] < (*pos)[b] : a < b;
        }
    };
    std::vector<uint64_t> pos_;
    IndexedHeap<ByPos> heap_[2];
    uint64_t now_[2] = {0, 0};  // position of the last pick
};

}  // namespace octane::proxy::balance
