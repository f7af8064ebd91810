#include "proxy/runtime/server_pick.h"

#include "proxy/runtime/pick_keys.h"

namespace octane::proxy {

ServerState* pick_server(BackendState& be, const Endpoint& peer, int avoid) {
    PickKeys keys = pick_keys(*be.cfg, be.stick != nullptr, peer, avoid);
    return be.pick(keys.ctx, keys.stick_key());
}

RetryStep next_retry(BackendState& be, ServerState& failed, int& retries_left) {
    if (retries_left <= 0) {
        return RetryStep::kGiveUp;
    }
    --retries_left;
    Counters::add(failed.counters.wretr, 1);
    Counters::add(be.counters.wretr, 1);
    bool redispatch =
        be.cfg->redispatch && (retries_left == 0 || failed.status.load() != ServerStatus::kUp);
    if (!redispatch) {
        return RetryStep::kSameServer;
    }
    Counters::add(failed.counters.wredis, 1);
    Counters::add(be.counters.wredis, 1);
    return RetryStep::kRedispatch;
}

}  // namespace octane::proxy
