#pragma once

// Creates the right session for an accepted connection (TCP tunnel or HTTP), owned by the loop.

#include "proxy/io/address.h"
#include "proxy/runtime/state.h"

namespace octane::proxy {

class Worker;

void start_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer,
                   const tls::FrontendTls* tls);

}  // namespace octane::proxy
