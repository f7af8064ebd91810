#pragma once

// Builds the TLS contexts a configuration names (every `bind ... ssl` and every server with
// `ssl` or `check-ssl`), reading certificates, keys, CAs and CRLs. Errors are located
// (`file:line: ...`), as HAProxy reports an unreadable crt-list at its bind line.

#include <string>
#include <vector>

#include "proxy/config/model.h"
#include "proxy/runtime/state.h"

namespace octane::proxy {

// `-c`: builds and drops them; returns every problem.
std::vector<std::string> check_tls_files(const config::Config& cfg);
// The running process: builds them into the snapshot (Snapshot::frontend_tls, ServerState::tls).
std::vector<std::string> attach_tls(Snapshot& snap);

}  // namespace octane::proxy
