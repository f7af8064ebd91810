#pragma once

// PROXY protocol headers (v1 text, v2 binary) sent first on a server connection when the server
// line says send-proxy / send-proxy-v2. Written into a caller buffer: no allocation.

#include <cstddef>

#include "proxy/io/address.h"

namespace octane::proxy {

// Returns the header length written to out (cap >= 108 always suffices for v1; v2 needs 52).
size_t write_proxy_v1(const Endpoint& src, const Endpoint& dst, char* out, size_t cap);
size_t write_proxy_v2(const Endpoint& src, const Endpoint& dst, char* out, size_t cap);

}  // namespace octane::proxy
