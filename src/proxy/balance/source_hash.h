#pragma once

// `balance source` and `balance hash <expr>`: a hash of a per-connection key (the client address,
// or the expression's text such as "<address>:<port>") picks the server. Map-based (HAProxy's
// default hash-type): hash modulo the total weight over a weighted map of eligible servers, so any
// change of the set remaps most clients. Consistent: a ring with weight-proportional points per
// server, so a change remaps only the clients of the server that changed.

#include <utility>

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class SourceHash final : public Balancer {
  public:
    SourceHash(std::vector<ServerSpec> specs, bool allbackups, bool consistent)
        : Balancer(std::move(specs), allbackups), consistent_(consistent) {}
    std::optional<int> pick(const PickContext& ctx) override;

  protected:
    void on_eligible_changed() override;

  private:
    bool consistent_;
    std::vector<int> map_;                        // map-based: one slot per weight unit
    std::vector<std::pair<uint64_t, int>> ring_;  // consistent: (point, server)
};

}  // namespace octane::proxy::balance
