#include "proxy/balance/least_conn.h"

namespace octane::proxy::balance {

std::optional<int> LeastConn::pick(const PickContext& ctx) {
    size_t n = eligible_.size();
    if (n == 0) {
        return std::nullopt;
    }
    int best = -1;
    size_t best_pos = 0;
    for (size_t k = 0; k < n; ++k) {
        size_t pos = (cursor_ + k) % n;
        int id = eligible_[pos];
        if (id == ctx.avoid && n > 1) {
            continue;
        }
        // Compare conns_a / w_a < conns_b / w_b without division.
        if (best < 0 || static_cast<int64_t>(conns_[id]) * weight_[best] <
                            static_cast<int64_t>(conns_[best]) * weight_[id]) {
            best = id;
            best_pos = pos;
        }
    }
    cursor_ = best_pos + 1;
    return best;
}

}  // namespace octane::proxy::balance
