#pragma once

// `balance source` / `balance hash <expr>` with `hash-type consistent` (HAProxy's lb_chash): a
// ring of points, 16 per weight unit of each server in use, placed by a hash of (server, point
// number); a key goes to the first point at or after its hash. A server leaving takes only its
// own points, so only its keys move (about 1/n of them); a weight change adds or removes points
// at the end of its own sequence, so it moves only the keys of those points. A retry that must
// avoid a server walks on along the ring to the next point of another server.

#include <utility>

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class ConsistentHash final : public Balancer {
  public:
    ConsistentHash(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups) {}

    static constexpr int kPointsPerWeight = 16;

  protected:
    void add(int id) override;
    void remove(int id) override;
    int choose(int group, const PickContext& ctx) override;

  private:
    using Point = std::pair<uint64_t, int>;  // (position, server)
    void merge_pending(int group);

    std::vector<Point> ring_[2];     // sorted
    std::vector<Point> pending_[2];  // added since the last pick, merged on the next one
};

}  // namespace octane::proxy::balance
