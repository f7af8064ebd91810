#pragma once

// The process: config -> limits -> snapshot -> listeners (inherited on reload) -> workers ->
// signals. The only place with process-wide state (signal mask, rlimits, pid file).

#include "proxy/runtime/options.h"

namespace octane::proxy {

int run_process(const Options& opt);

}  // namespace octane::proxy
