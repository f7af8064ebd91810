#pragma once

namespace octane::proxy {

// Parses the command line and runs octane-proxy; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace octane::proxy
