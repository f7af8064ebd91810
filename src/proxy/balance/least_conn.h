#pragma once

// `balance leastconn`, weighted (HAProxy's lb_fwlc): the server in use with the lowest
// (connections + 1) / weight, so at equal load the heavier server goes first, except that idle
// servers all rank first and equal whatever their weight (fwlc's key 0); ties go round robin,
// because a server whose count changed goes behind its equals, as fwlc re-inserts behind equal
// keys. O(log n) per take and release, O(1) per pick: one indexed heap per group.

#include "proxy/balance/balancer.h"
#include "proxy/balance/indexed_heap.h"

namespace octane::proxy::balance {

class LeastConn final : public Balancer {
  public:
    LeastConn(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups),
          key_(size()),
          heap_{{key_.size(), ByKey{&key_}}, {key_.size(), ByKey{&key_}}} {}

  protected:
    void add(int id) override;
    void remove(int id) override { heap_[group_of(id)].erase(id); }
    void reweight(int id, int) override { requeue(id); }
    void took(int id) override { requeue(id); }
    void released(int id) override { requeue(id); }
    int choose(int group, const PickContext& ctx) override;

  private:
    struct Key {
        int64_t load = 0;    // connections + 1, or 0 when idle
        int64_t weight = 1;  // > 0 while in use
        uint64_t seq = 0;    // queue order among equal loads
        bool operator<(const Key& o) const {
            // load/weight < o.load/o.weight, exactly (both below 2^31).
            int64_t l = load * o.weight, r = o.load * weight;
            return l != r ? l < r : seq < o.seq;
        }
    };
    struct ByKey {
        const std::vector<Key>* keys;
        bool operator()(int a, int b) const { return (*keys)[a] < (*keys)[b]; }
    };
    void set_key(int id) { key_[id] = Key{conns(id) == 0 ? 0 : conns(id) + 1, weight(id), ++seq_}; }
    void requeue(int id) {
        set_key(id);
        heap_[group_of(id)].update(id);
    }

    std::vector<Key> key_;
    IndexedHeap<ByKey> heap_[2];
    uint64_t seq_ = 0;
};

}  // namespace octane::proxy::balance
