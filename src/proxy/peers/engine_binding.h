#pragma once

// Wires the `peers` sections of a runtime snapshot to peers::Service instances: each backend
// whose `stick-table ... peers <section>` names a section we are a peer of (`-L`) becomes one
// replicated table; the backend tells its service of every entry it stores.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "proxy/peers/service.h"
#include "proxy/runtime/state.h"

namespace octane::proxy::peers {

// The replicated table of a backend (its `stick on src` table, else its APP_COOKIE one): entries
// out with the server's puid and name, entries in mapped as HAProxy 2.6 maps them.
TableBinding bind_backend(BackendState& be, const TableDefinition& def);

// `take_inherited(key)` returns the fd a replaced process handed over under that key, or -1.
// Problems that leave a section unreplicated (no peer line of ours, an address we cannot bind)
// are appended to `warnings`: the engine still serves, with local tables.
std::vector<std::unique_ptr<Service>> open_services(
    Snapshot& snap, const std::string& local_name,
    const std::function<int(const std::string&)>& take_inherited,
    std::vector<std::string>& warnings);

}  // namespace octane::proxy::peers
