#pragma once

// `balance first`: the first eligible server (declaration order) below its maxconn.

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance {

class First final : public Balancer {
  public:
    First(std::vector<ServerSpec> specs, bool allbackups)
        : Balancer(std::move(specs), allbackups) {}
    std::optional<int> pick(const PickContext& ctx) override {
        for (int id : eligible_) {
            if (id == ctx.avoid && eligible_.size() > 1) {
                continue;
            }
            if (specs_[id].maxconn == 0 || conns_[id] < specs_[id].maxconn) {
                return id;
            }
        }
        return std::nullopt;
    }
};

}  // namespace octane::proxy::balance
