#include "proxy/balance/round_robin.h"

namespace octane::proxy::balance {
namespace {
// Positions grow by at most kStep per pick; well before they could wrap, the group is shifted
// back towards zero (the order does not change).
constexpr uint64_t kRebaseAt = uint64_t{1} << 48;
}  // namespace

void RoundRobin::add(int id) {
    int g = group_of(id);
    pos_[id] = now_[g] + step(id) / 2;
    heap_[g].push(id);
}

void RoundRobin::reweight(int id, int old_weight) {
    // What was left of the old step is scaled to the new one: a server made heavier comes sooner.
    int g = group_of(id);
    uint64_t left = pos_[id] > now_[g] ? pos_[id] - now_[g] : 0;
    pos_[id] =
        now_[g] + left * static_cast<uint64_t>(old_weight) / static_cast<uint64_t>(weight(id));
    heap_[g].update(id);
}

int RoundRobin::choose(int group, const PickContext& ctx) {
    auto& heap = heap_[group];
    int id = heap.top();
    if (id == ctx.avoid && heap.size() > 1) {
        id = heap.second();
    }
    now_[group] = pos_[id];
    pos_[id] += step(id);
    heap.update(id);
    if (now_[group] >= kRebaseAt) {
        rebase(group);
    }
    return id;
}

void RoundRobin::rebase(int group) {
    const auto& ids = heap_[group].ids();
    uint64_t base = pos_[ids.front()];  // the smallest: an avoided server may be behind now_
    for (int id : ids) {
        pos_[id] -= base;
    }
    now_[group] -= base;
}

}  // namespace octane::proxy::balance
