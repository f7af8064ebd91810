#pragma once

// `balance first` (HAProxy's lb_fas): the first server in use, in declaration order, that is
// below its maxconn (0 = unlimited), so servers fill one after the other and the last ones can
// be stopped when idle. O(log n): each group keeps the ordered set of its servers with room,
// which a take that fills a server or a release that frees one updates.

#include <set>

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class First final : public Balancer {
  public:
    First(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups) {}

  protected:
    void add(int id) override;
    void remove(int id) override { room_[group_of(id)].erase(id); }
    void took(int id) override;
    void released(int id) override { add(id); }  // it may have room again
    int choose(int group, const PickContext& ctx) override;

  private:
    bool has_room(int id) const { return maxconn(id) == 0 || conns(id) < maxconn(id); }

    std::set<int> room_[2];
};

}  // namespace octane::proxy::balance
