#pragma once

// `octane-proxy --lvs <file>`: the engine serving one UDP/SCTP listener from the keepalived LVS
// configuration Octavia renders (docs/amphora.md §5). Same process conventions as the haproxy.cfg
// mode: -c checks and exits, -p pidfile, -sf takes over the VIP sockets of the old process
// (shared, so no datagram queued in them is lost) and tells it to stop, readiness through
// $NOTIFY_SOCKET, SIGUSR1 soft stop, SIGTERM/SIGINT hard stop.

#include "proxy/runtime/options.h"

namespace octane::proxy::udp {

int run_lvs(const Options& opt);

}  // namespace octane::proxy::udp
