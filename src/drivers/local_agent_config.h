#pragma once

// The amphora-agent.conf a local amphora's agent is started with (--config-file), as Octavia's
// controller hands its amphorae their configuration: the secrets of the agent go there, in a file
// only the owner reads, never on the command line where every local user sees them in `ps`.

#include <string>

#include "common/result.h"

namespace octane::drivers {

// The INI text: [health_manager] heartbeat_key. Refuses a key the INI format cannot carry
// unchanged (a line break, or blanks at either end that the reader would trim).
Result<std::string> agent_config_text(const std::string& heartbeat_key);

// Writes <amphora_dir>/amphora-agent.conf with mode 0600 and returns its path.
Result<std::string> write_agent_config(const std::string& amphora_dir,
                                       const std::string& heartbeat_key);

}  // namespace octane::drivers
