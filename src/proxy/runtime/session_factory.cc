#include "proxy/runtime/session_factory.h"

#include "proxy/l7/http_session.h"
#include "proxy/runtime/worker.h"
#include "proxy/tcp/tcp_session.h"

namespace octane::proxy {

void start_session(Worker& worker, FrontendState& fe, int fd, const Endpoint& peer,
                   const tls::FrontendTls* tls) {
    // The validator refuses TLS on a mode tcp bind (config/tls_checks.cc).
    if (fe.cfg->mode == config::Mode::kHttp) {
        start_http_session(worker, fe, fd, peer, tls);
        return;
    }
    start_tcp_session(worker, fe, fd, peer);
}

}  // namespace octane::proxy
