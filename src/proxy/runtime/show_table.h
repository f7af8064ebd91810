#pragma once

// `show table [<name>]` on the stats socket, in HAProxy's format: the stick tables and, for one,
// its entries with the server each maps to (server_id = the server's puid, server_key = name).

#include <string>

#include "proxy/runtime/state.h"

namespace octane::proxy {

std::string render_show_table(Snapshot& snap, const std::string& name);

}  // namespace octane::proxy
