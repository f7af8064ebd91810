#include "proxy/balance/least_conn.h"

namespace octane::proxy::balance {

void LeastConn::add(int id) {
    set_key(id);
    heap_[group_of(id)].push(id);
}

int LeastConn::choose(int group, const PickContext& ctx) {
    // No re-queue here: the take that follows a pick moves the server behind its equals.
    const auto& heap = heap_[group];
    int id = heap.top();
    return id == ctx.avoid && heap.size() > 1 ? heap.second() : id;
}

}  // namespace octane::proxy::balance
