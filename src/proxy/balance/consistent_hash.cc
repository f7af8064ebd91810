#include "proxy/balance/consistent_hash.h"

#include <algorithm>

namespace octane::proxy::balance {
namespace {

uint64_t point_position(int id, int point) {
    uint8_t key[8] = {static_cast<uint8_t>(id),
                      static_cast<uint8_t>(id >> 8),
                      static_cast<uint8_t>(id >> 16),
                      static_cast<uint8_t>(point),
                      static_cast<uint8_t>(point >> 8),
                      static_cast<uint8_t>(point >> 16),
                      0xa5,
                      0x3c};
    return hash_source(key, sizeof(key));
}

}  // namespace

void ConsistentHash::add(int id) {
    auto& pending = pending_[group_of(id)];
    int points = weight(id) * kPointsPerWeight;
    for (int p = 0; p < points; ++p) {
        pending.emplace_back(point_position(id, p), id);
    }
}

void ConsistentHash::remove(int id) {
    int g = group_of(id);
    auto of_id = [id](const Point& p) { return p.second == id; };
    std::erase_if(ring_[g], of_id);
    std::erase_if(pending_[g], of_id);
}

void ConsistentHash::merge_pending(int group) {
    auto& ring = ring_[group];
    auto& pending = pending_[group];
    std::sort(pending.begin(), pending.end());
    size_t middle = ring.size();
    ring.insert(ring.end(), pending.begin(), pending.end());
    std::inplace_merge(ring.begin(), ring.begin() + static_cast<ptrdiff_t>(middle), ring.end());
    pending.clear();
}

int ConsistentHash::choose(int group, const PickContext& ctx) {
    if (!pending_[group].empty()) {
        merge_pending(group);
    }
    const auto& ring = ring_[group];
    auto it = std::lower_bound(ring.begin(), ring.end(), Point{ctx.hash, -1});
    if (it == ring.end()) {
        it = ring.begin();
    }
    if (it->second != ctx.avoid) {
        return it->second;
    }
    // Bounded by the ring: back at the start, every point was the avoided server's.
    for (size_t walked = 1; walked < ring.size(); ++walked) {
        if (++it == ring.end()) {
            it = ring.begin();
        }
        if (it->second != ctx.avoid) {
            return it->second;
        }
    }
    return ctx.avoid;
}

}  // namespace octane::proxy::balance
