#pragma once

// Thin, errno-preserving wrappers over the socket calls the engine makes. Every descriptor is
// non-blocking and close-on-exec.

#include "common/result.h"
#include "proxy/io/address.h"

namespace octane::proxy {

// A listening TCP socket with SO_REUSEADDR (rebinding over connections in TIME_WAIT), TCP_NODELAY
// (inherited by every socket it accepts, see set_nodelay) and without
// SO_REUSEPORT: an address another process listens on fails with EADDRINUSE. The one way to share
// a VIP:port is the reload hand-over of the very same socket (runtime/handoff.h), so an engine of
// a stale amphora can never silently answer beside a new one on the same VIP.
Result<int> open_listener(const Endpoint& ep, int backlog);

// Starts a non-blocking connect; returns the fd (connect may still be in progress).
Result<int> start_connect(const Endpoint& ep);

// Reads SO_ERROR of a connecting socket: 0 when the connect completed.
int socket_error(int fd);

// No Nagle. Set on a listener, every socket it accepts inherits it (Linux copies the listener's
// TCP state into the child): as HAProxy, the engine never delays what it relays to a client. A
// reply relayed in several pieces would otherwise hold its last small piece until the client
// ACKs the first, and a client delaying that ACK turns it into a 40 ms stall.
void set_nodelay(int fd);

// Closes with an RST instead of a FIN (SO_LINGER 0), as HAProxy does for aborted sessions.
void close_reset(int fd);

}  // namespace octane::proxy
