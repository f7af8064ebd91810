#pragma once

// `balance source` / `balance hash <expr>` with `hash-type map-based` (HAProxy's lb_map, the
// default): the key's hash modulo the total weight indexes a map holding each server in use once
// per weight unit, so a pick is O(1) and any change of the set remaps most keys. The map is
// rebuilt on the first pick after a change (changes come in bursts: start-up, a check round).

#include <set>

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class MapHash final : public Balancer {
  public:
    MapHash(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups) {}

  protected:
    void add(int id) override;
    void remove(int id) override;
    void reweight(int id, int) override { stale_[group_of(id)] = true; }
    int choose(int group, const PickContext& ctx) override;

  private:
    std::set<int> servers_[2];  // in declaration order
    std::vector<int> map_[2];   // one slot per weight unit
    bool stale_[2] = {false, false};
};

}  // namespace octane::proxy::balance
