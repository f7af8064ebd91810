#include "drivers/local_agent_config.h"

#include "common/file_util.h"
#include "common/strings.h"

namespace octane::drivers {

Result<std::string> agent_config_text(const std::string& heartbeat_key) {
    if (heartbeat_key.find_first_of("\r\n") != std::string::npos ||
        trim(heartbeat_key) != heartbeat_key) {
        return make_error("the heartbeat key must be one line without leading or trailing blanks");
    }
    return "[health_manager]\nheartbeat_key = " + heartbeat_key + "\n";
}

Result<std::string> write_agent_config(const std::string& amphora_dir,
                                       const std::string& heartbeat_key) {
    auto text = agent_config_text(heartbeat_key);
    if (!text) {
        return Unexpected(text.error());
    }
    std::string path = amphora_dir + "/amphora-agent.conf";
    if (auto written = write_file_atomic(path, *text, 0600); !written) {
        return Unexpected(written.error());
    }
    return path;
}

}  // namespace octane::drivers
