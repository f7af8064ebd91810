#pragma once

// `balance leastconn`, weighted (HAProxy's lb_fwlc): the server in use with the lowest
// (connections + 1) / weight, so at equal load the heavier server goes first, except that idle
// servers all rank first and equal whatever their weight (fwlc's key 0); ties go round robin,
// because a server re-queued (picked, or its count changed) goes behind its equals, as fwlc
// re-inserts behind equal keys. O(log n) per pick, take and release: one ordered tree per group, a
// node moved (not reallocated) on every change.

#include <set>

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class LeastConn final : public Balancer {
  public:
    LeastConn(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups), key_(size()) {}

  protected:
    void add(int id) override;
    void remove(int id) override;
    void reweight(int id, int) override { requeue(id); }
    void took(int id) override { requeue(id); }
    void released(int id) override { requeue(id); }
    int choose(int group, const PickContext& ctx) override;

  private:
    struct Key {
        int64_t load = 0;    // connections + 1, or 0 when idle
        int64_t weight = 1;  // > 0 while in the tree
        uint64_t seq = 0;    // queue order among equal loads
        int id = 0;
        bool operator<(const Key& o) const {
            // load/weight < o.load/o.weight, exactly (both below 2^31).
            int64_t l = load * o.weight, r = o.load * weight;
            return l != r ? l < r : seq < o.seq;
        }
    };
    Key key_of(int id) { return Key{conns(id) == 0 ? 0 : conns(id) + 1, weight(id), ++seq_, id}; }
    void requeue(int id);

    std::vector<Key> key_;
    std::set<Key> tree_[2];
    uint64_t seq_ = 0;
};

}  // namespace octane::proxy::balance
