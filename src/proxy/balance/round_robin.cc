#include "proxy/balance/round_robin.h"

namespace octane::proxy::balance {

void RoundRobin::on_eligible_changed() {
    // Reset credits of servers that left the set so they restart fresh when they return.
    std::vector<bool> in(specs_.size(), false);
    for (int id : eligible_) {
        in[id] = true;
    }
    for (size_t i = 0; i < credit_.size(); ++i) {
        if (!in[i]) {
            credit_[i] = 0;
        }
    }
}

std::optional<int> RoundRobin::pick(const PickContext& ctx) {
    if (eligible_.empty()) {
        return std::nullopt;
    }
    int64_t total = 0;
    int best = -1;
    for (int id : eligible_) {
        credit_[id] += weight_[id];
        total += weight_[id];
        if (id == ctx.avoid && eligible_.size() > 1) {
            continue;
        }
        if (best < 0 || credit_[id] > credit_[best]) {
            best = id;
        }
    }
    credit_[best] -= total;
    return best;
}

}  // namespace octane::proxy::balance
