#pragma once

// TLS option checks of one proxy section's bind and server lines, each problem located.

#include "proxy/config/diagnostics.h"
#include "proxy/config/model.h"

namespace octane::proxy::config {

void check_tls(const ProxySection& p, Diagnostics& diag);

}  // namespace octane::proxy::config
