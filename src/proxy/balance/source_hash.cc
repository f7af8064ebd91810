#include "proxy/balance/source_hash.h"

#include <algorithm>

namespace octane::proxy::balance {

void SourceHash::on_eligible_changed() {
    map_.clear();
    ring_.clear();
    for (int id : eligible_) {
        if (consistent_) {
            // 16 points per weight unit keeps the spread within a few percent for small pools.
            int points = weight_[id] * 16;
            for (int p = 0; p < points; ++p) {
                uint8_t key[8] = {static_cast<uint8_t>(id),
                                  static_cast<uint8_t>(id >> 8),
                                  static_cast<uint8_t>(p),
                                  static_cast<uint8_t>(p >> 8),
                                  static_cast<uint8_t>(p >> 16),
                                  0x5a,
                                  0xa5,
                                  0x3c};
                ring_.emplace_back(hash_source(key, sizeof(key)), id);
            }
        } else {
            for (int w = 0; w < weight_[id]; ++w) {
                map_.push_back(id);
            }
        }
    }
    std::sort(ring_.begin(), ring_.end());
}

std::optional<int> SourceHash::pick(const PickContext& ctx) {
    if (eligible_.empty()) {
        return std::nullopt;
    }
    int id = -1;
    if (consistent_) {
        auto it = std::lower_bound(ring_.begin(), ring_.end(), std::make_pair(ctx.hash, -1));
        if (it == ring_.end()) {
            it = ring_.begin();
        }
        id = it->second;
    } else {
        id = map_[ctx.hash % map_.size()];
    }
    if (id == ctx.avoid && eligible_.size() > 1) {
        // Retry elsewhere: the next eligible server in declaration order.
        auto pos = std::find(eligible_.begin(), eligible_.end(), id);
        ++pos;
        id = pos == eligible_.end() ? eligible_.front() : *pos;
    }
    return id;
}

}  // namespace octane::proxy::balance
