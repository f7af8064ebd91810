#include "drivers/lvs_upload.h"

#include <set>

#include "render/input_parse.h"
#include "render/lvs_config.h"

namespace octane::drivers {
namespace {

Result<void> expect(const Result<http::HttpsResponse>& response, int status,
                    const std::string& what) {
    if (!response) {
        return Unexpected(response.error());
    }
    if (response->status != status) {
        return make_error("agent refused " + what + " (" + std::to_string(response->status) +
                          "): " + response->body);
    }
    return {};
}

}  // namespace

bool has_haproxy_listener(const nlohmann::json& load_balancer) {
    for (const auto& listener : load_balancer.value("listeners", nlohmann::json::array())) {
        std::string protocol = listener.value("protocol", "");
        if (protocol != "UDP" && protocol != "SCTP") {
            return true;
        }
    }
    return false;
}

Result<void> apply_lvs_listeners(const nlohmann::json& load_balancer, const std::string& amphora_id,
                                 const AgentCall& call) {
    auto lb = render::parse_load_balancer(load_balancer);
    if (!lb) {
        return make_error("render failed: " + lb.error().message);
    }
    std::set<std::string> wanted;
    for (const auto& listener : lb->listeners) {
        if (!render::is_lvs_listener(listener) ||
            listener.provisioning_status == "PENDING_DELETE") {
            continue;
        }
        auto text = render::render_lvs_cfg(*lb, listener.id);
        if (!text) {
            return make_error("render failed: " + text.error().message);
        }
        auto uploaded = call(
            "PUT", "/1.0/listeners/" + amphora_id + "/" + listener.id + "/udp_listener", *text);
        if (auto ok = expect(uploaded, 200, "the LVS configuration of " + listener.id); !ok) {
            return ok;
        }
        auto reloaded = call("PUT", "/1.0/loadbalancer/" + listener.id + "/reload", "");
        if (auto ok = expect(reloaded, 202, "the reload of " + listener.id); !ok) {
            return ok;
        }
        wanted.insert(listener.id);
    }
    auto listed = call("GET", "/1.0/listeners", "");
    if (auto ok = expect(listed, 200, "the listener list"); !ok) {
        return ok;
    }
    auto entries = nlohmann::json::parse(listed->body, nullptr, false);
    if (!entries.is_array()) {
        return make_error("agent listener list is not a JSON array: " + listed->body);
    }
    for (const auto& entry : entries) {
        std::string type = entry.value("type", "");
        std::string id = entry.value("uuid", "");
        if ((type == "UDP" || type == "SCTP") && !id.empty() && wanted.count(id) == 0) {
            if (auto ok =
                    expect(call("DELETE", "/1.0/listeners/" + id, ""), 200, "the removal of " + id);
                !ok) {
                return ok;
            }
        }
    }
    return {};
}

}  // namespace octane::drivers
