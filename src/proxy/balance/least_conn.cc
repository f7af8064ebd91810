#include "proxy/balance/least_conn.h"

namespace octane::proxy::balance {

void LeastConn::add(int id) {
    key_[id] = key_of(id);
    tree_[group_of(id)].insert(key_[id]);
}

void LeastConn::remove(int id) {
    tree_[group_of(id)].erase(key_[id]);
}

void LeastConn::requeue(int id) {
    auto& tree = tree_[group_of(id)];
    auto node = tree.extract(key_[id]);
    key_[id] = key_of(id);
    node.value() = key_[id];
    tree.insert(std::move(node));
}

int LeastConn::choose(int group, const PickContext& ctx) {
    const auto& tree = tree_[group];
    auto it = tree.begin();
    if (it->id == ctx.avoid && tree.size() > 1) {
        ++it;
    }
    int id = it->id;
    // Behind its equals even if the caller does not take a connection (a server that proves
    // full): the next pick tries another.
    requeue(id);
    return id;
}

}  // namespace octane::proxy::balance
