#pragma once

// Entry point of HTTP-mode sessions (keep-alive, L7 rules, header insertion).

#include "proxy/io/address.h"
#include "proxy/runtime/state.h"

namespace octane::proxy {

class Worker;

void start_http_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer);

}  // namespace octane::proxy
