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
    tree_[g].emplace(pos_[id], id);
}

void RoundRobin::remove(int id) {
    tree_[group_of(id)].erase({pos_[id], id});
}

void RoundRobin::reweight(int id, int old_weight) {
    // What was left of the old step is scaled to the new one: a server made heavier comes sooner.
    int g = group_of(id);
    tree_[g].erase({pos_[id], id});
    uint64_t left = pos_[id] > now_[g] ? pos_[id] - now_[g] : 0;
    pos_[id] =
        now_[g] + left * static_cast<uint64_t>(old_weight) / static_cast<uint64_t>(weight(id));
    tree_[g].emplace(pos_[id], id);
}

int RoundRobin::choose(int group, const PickContext& ctx) {
    auto& tree = tree_[group];
    auto it = tree.begin();
    if (it->second == ctx.avoid && tree.size() > 1) {
        ++it;
    }
    int id = it->second;
    now_[group] = it->first;
    auto node = tree.extract(it);
    pos_[id] += step(id);
    node.value().first = pos_[id];
    tree.insert(std::move(node));
    if (now_[group] >= kRebaseAt) {
        rebase(group);
    }
    return id;
}

void RoundRobin::rebase(int group) {
    uint64_t base = tree_[group].begin()->first;  // an avoided server may be behind now_
    std::set<std::pair<uint64_t, int>> shifted;
    for (const auto& [pos, id] : tree_[group]) {
        pos_[id] = pos - base;
        shifted.emplace(pos_[id], id);
    }
    tree_[group] = std::move(shifted);
    now_[group] -= base;
}

}  // namespace octane::proxy::balance
