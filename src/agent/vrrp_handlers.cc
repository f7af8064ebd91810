// The VRRP calls of the agent API (Octavia's keepalived.py): PUT /1.0/vrrp/upload stores
// keepalived.conf (checked with `keepalived --config-test` first, a refused file leaves the
// running one untouched) and the track script; PUT /1.0/vrrp/{start|stop|reload} drive keepalived,
// and Octane's PUT /1.0/vrrp/restart kills and starts it at once (the VRRP takeover).

#include <atomic>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "agent/agent_api.h"
#include "agent/file_util.h"
#include "agent/vrrp_check_script.h"

namespace octane::agent {

namespace fs = std::filesystem;
using http::HttpResponse;

HttpResponse AgentApi::upload_vrrp_config(const std::string& body) {
    std::string dir = fs::path(keepalived_.config_path()).parent_path().string();
    std::error_code ec;
    fs::create_directories(dir, ec);
    // The configuration names the script, and keepalived's check wants it present.
    if (auto written = write_file_atomic(keepalived_.check_script_path(),
                                         vrrp_check_script(options_.state_dir), 0755);
        !written) {
        return agent_message(500, "Error writing check script", written.error().message);
    }
    static std::atomic<uint64_t> counter{0};
    std::string candidate = dir + "/keepalived.conf.upload-" + std::to_string(++counter);
    if (auto written = write_file_atomic(candidate, body, 0644); !written) {
        return agent_message(500, "Error writing configuration", written.error().message);
    }
    if (auto checked = keepalived_.check_config(candidate); !checked) {
        fs::remove(candidate, ec);
        spdlog::info("rejected keepalived configuration: {}", checked.error().message);
        return agent_message(400, "Invalid request", checked.error().message);
    }
    fs::rename(candidate, keepalived_.config_path(), ec);
    if (ec) {
        fs::remove(candidate, ec);
        return agent_message(500, "Error installing configuration", ec.message());
    }
    HttpResponse response = agent_message(200, "OK");
    response.headers.emplace_back("ETag", md5_hex(body));
    return response;
}

HttpResponse AgentApi::vrrp_action(const std::string& action) {
    Result<void> done;
    if (action == "start") {
        done = keepalived_.start();
    } else if (action == "reload") {
        done = keepalived_.reload();
    } else if (action == "stop") {
        done = keepalived_.stop();
    } else if (action == "restart") {
        done = keepalived_.restart();  // Octane's: the takeover (drivers/vrrp_takeover.h)
    } else {
        return agent_message(400, "Invalid Request", "Unknown action: " + action);
    }
    if (!done) {
        int status = done.error().code == 404 ? 404 : 500;
        return agent_message(status, "Failed to " + action + " octavia-keepalived service",
                             done.error().message);
    }
    return agent_message(202, "OK", "keepalived " + action + "ed");
}

}  // namespace octane::agent
