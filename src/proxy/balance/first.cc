#include "proxy/balance/first.h"

namespace octane::proxy::balance {

void First::add(int id) {
    if (has_room(id)) {
        room_[group_of(id)].insert(id);
    }
}

void First::took(int id) {
    if (!has_room(id)) {
        room_[group_of(id)].erase(id);
    }
}

int First::choose(int group, const PickContext& ctx) {
    const auto& room = room_[group];
    auto it = room.begin();
    if (it == room.end()) {
        return -1;  // every server in use is full
    }
    if (*it == ctx.avoid && room.size() > 1) {
        ++it;
    }
    return *it;
}

}  // namespace octane::proxy::balance
