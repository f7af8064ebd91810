#pragma once

// Choosing a backend server for a client connection and what a failed connect to it leads to,
// shared by the TCP and HTTP sessions so both balance and retry alike (HAProxy `retries` and
// `option redispatch`).

#include "proxy/io/address.h"
#include "proxy/runtime/state.h"

namespace octane::proxy {

// A server for the client (balance key, `stick on src`) with a connection slot taken, or nullptr
// when the backend has no server in use. `avoid`: the server a redispatch leaves, -1 = none.
ServerState* pick_server(BackendState& be, const Endpoint& peer, int avoid);

enum class RetryStep {
    kGiveUp,      // no retry left: the client gets the failure
    kSameServer,  // after the turnaround pause (TCP) or at once (HTTP), the same server again
    kRedispatch,  // another server, avoiding the failed one
};

// After a connect to `failed` failed (its slot already released or about to be): spends one of
// `retries_left` and counts it (wretr; wredis when redispatching) on the server and the backend.
// With `option redispatch`, the last retry goes to another server, and so does any retry once
// the failed server is no longer up.
RetryStep next_retry(BackendState& be, ServerState& failed, int& retries_left);

}  // namespace octane::proxy
