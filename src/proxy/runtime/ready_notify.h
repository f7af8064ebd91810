#pragma once

// Readiness notification in systemd's sd_notify protocol (as HAProxy speaks it under -Ws): when
// NOTIFY_SOCKET names a unix datagram socket ("@name" = abstract), a process that has bound its
// listeners sends "READY=1". A supervisor (the amphora agent, systemd) can then tell a reload that
// serves from one that failed, without polling ports.

namespace octane::proxy {

// Sends READY=1 and MAINPID to $NOTIFY_SOCKET; does nothing when it is unset. Best effort: a
// supervisor that went away must not stop the engine.
void notify_ready();

}  // namespace octane::proxy
