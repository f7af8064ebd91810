#pragma once

namespace octane::service {

// The `octane` command line: subcommands serve | api | worker | health.
int cli_main(int argc, char** argv);

}  // namespace octane::service
