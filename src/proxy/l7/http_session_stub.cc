// Temporary: HTTP frontends are tunnelled as TCP until the L7 session lands.

#include "proxy/l7/http_session.h"
#include "proxy/tcp/tcp_session.h"

namespace octane::proxy {

void start_http_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer) {
    start_tcp_session(worker, fe, fd, peer);
}

}  // namespace octane::proxy
