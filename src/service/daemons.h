#pragma once

// The daemons of build/octane: serve (API + worker + health manager in one process), api, worker,
// health.

#include "service/service_options.h"

namespace octane::service {

enum class Role { kAllInOne, kApiOnly, kWorkerOnly, kHealthOnly };

// Runs until SIGTERM/SIGINT; returns the process exit code.
int run_daemon(Role role, const ServiceOptions& options);

}  // namespace octane::service
