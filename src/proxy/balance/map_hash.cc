#include "proxy/balance/map_hash.h"

namespace octane::proxy::balance {

void MapHash::add(int id) {
    servers_[group_of(id)].insert(id);
    stale_[group_of(id)] = true;
}

void MapHash::remove(int id) {
    servers_[group_of(id)].erase(id);
    stale_[group_of(id)] = true;
}

int MapHash::choose(int group, const PickContext& ctx) {
    auto& map = map_[group];
    if (stale_[group]) {
        map.clear();
        for (int id : servers_[group]) {
            map.insert(map.end(), static_cast<size_t>(weight(id)), id);
        }
        stale_[group] = false;
    }
    size_t slot = ctx.hash % map.size();
    int id = map[slot];
    if (id == ctx.avoid && servers_[group].size() > 1) {
        // Retry elsewhere: the next server in the map (declaration order), within one weight.
        while (map[slot] == id) {
            slot = (slot + 1) % map.size();
        }
        id = map[slot];
    }
    return id;
}

}  // namespace octane::proxy::balance
