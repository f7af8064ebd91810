// The load balancer calls of the agent API: config upload (validate before swap), lifecycle
// actions, delete, listener list, per-LB certificates.

#include <filesystem>

#include <spdlog/spdlog.h>

#include "agent/agent_api.h"
#include "agent/engine_config.h"
#include "agent/file_util.h"
#include "agent/process.h"
#include "agent/request_validation.h"
#include "wire/peer_name.h"

namespace octane::agent {
namespace {

namespace fs = std::filesystem;
using http::HttpResponse;

constexpr auto kCheckTimeout = std::chrono::seconds(30);

HttpResponse bad_id(const std::string& what) {
    return agent_message(400, "Invalid request", "invalid " + what);
}

HttpResponse lb_not_found(const std::string& lb_id) {
    return agent_message(404, "Loadbalancer Not Found", "No loadbalancer with UUID: " + lb_id);
}

HttpResponse with_etag(HttpResponse response, const std::string& etag) {
    response.headers.emplace_back("ETag", etag);
    return response;
}

}  // namespace

// Writes `body` beside `target`, has the engine check it (`check` + the candidate's path), and
// only then swaps it in: a refused file never replaces the running one.
HttpResponse AgentApi::install_checked(const std::string& id, const std::string& target,
                                       std::vector<std::string> check, const std::string& body,
                                       int status) {
    std::string dir = engines_.lb_dir(id);
    std::error_code ec;
    fs::create_directories(dir, ec);
    static std::atomic<uint64_t> counter{0};
    std::string candidate = target + ".upload-" + std::to_string(++counter);
    if (auto written = write_file_atomic(candidate, body, 0644); !written) {
        return agent_message(500, "Error writing configuration", written.error().message);
    }
    check.push_back(candidate);
    auto outcome = run_command(check, kCheckTimeout);
    if (!outcome || outcome->exit_code != 0) {
        fs::remove(candidate, ec);
        std::string details = outcome ? outcome->output : outcome.error().message;
        if (outcome && outcome->timed_out) {
            details += "\n(configuration check timed out)";
        }
        spdlog::info("rejected configuration of {}: {}", id, details);
        return agent_message(400, "Invalid request", details);
    }
    fs::rename(candidate, target, ec);
    if (ec) {
        fs::remove(candidate, ec);
        return agent_message(500, "Error installing configuration", ec.message());
    }
    return with_etag(agent_message(status, "OK"), md5_hex(body));
}

HttpResponse AgentApi::upload_config(const std::string& amphora_id, const std::string& lb_id,
                                     const std::string& body) {
    if (!is_safe_id(amphora_id) || !is_safe_id(lb_id)) {
        return bad_id("amphora or load balancer id");
    }
    if (engines_.is_lvs(lb_id)) {
        return agent_message(409, "Conflict", lb_id + " is a UDP/SCTP listener");
    }
    return install_checked(lb_id, engines_.lb_dir(lb_id) + "/haproxy.cfg",
                           {options_.engine, "-c", "-L", wire::peer_name(amphora_id), "-f"}, body,
                           202);
}

// Octavia's keepalivedlvs upload (docs/amphora.md §5): the file is checked by the engine that
// will serve it, answered 200 with its ETag; the caller then PUTs .../{listener_id}/reload.
HttpResponse AgentApi::upload_lvs_config(const std::string& amphora_id,
                                         const std::string& listener_id, const std::string& body) {
    if (!is_safe_id(amphora_id) || !is_safe_id(listener_id)) {
        return bad_id("amphora or listener id");
    }
    std::error_code ec;
    if (fs::exists(engines_.lb_dir(listener_id) + "/haproxy.cfg", ec)) {
        return agent_message(409, "Conflict", listener_id + " is a load balancer");
    }
    return install_checked(listener_id, engines_.lvs_config_path(listener_id),
                           {engines_.lvs_engine(), "-c", "--lvs"}, body, 200);
}

HttpResponse AgentApi::get_lvs_config(const std::string& listener_id) {
    if (!is_safe_id(listener_id)) {
        return bad_id("listener id");
    }
    auto text = read_file(engines_.lvs_config_path(listener_id));
    if (!text) {
        return agent_message(404, "UDP Listener Not Found",
                             "No UDP listener with UUID: " + listener_id);
    }
    std::string etag = md5_hex(*text);
    return with_etag(HttpResponse{200, "text/plain; charset=utf-8", {}, std::move(*text)}, etag);
}

HttpResponse AgentApi::get_config(const std::string& lb_id) {
    if (!is_safe_id(lb_id)) {
        return bad_id("load balancer id");
    }
    auto text = read_file(engines_.config_path(lb_id));
    if (!text) {
        return lb_not_found(lb_id);
    }
    std::string etag = md5_hex(*text);
    return with_etag(HttpResponse{200, "text/plain; charset=utf-8", {}, std::move(*text)}, etag);
}

HttpResponse AgentApi::lb_action(const std::string& lb_id, const std::string& action) {
    if (!is_safe_id(lb_id)) {
        return bad_id("load balancer id");
    }
    auto parsed = parse_lb_action(action);
    if (!parsed) {
        return agent_message(400, "Invalid Request", "Unknown action: " + action);
    }
    Result<void> outcome;
    switch (*parsed) {
        case LbAction::kStart:
            outcome = engines_.start_lb(lb_id);
            break;
        case LbAction::kStop:
            outcome = engines_.stop_lb(lb_id);
            break;
        case LbAction::kReload:
            outcome = engines_.reload_lb(lb_id);
            break;
    }
    if (!outcome) {
        if (outcome.error().code == kNoSuchLoadBalancer) {
            return lb_not_found(lb_id);
        }
        if (engines_.is_lvs(lb_id)) {
            return agent_message(500, "Failed to " + action + " keepalivedlvs listener " + lb_id,
                                 outcome.error().message);
        }
        return agent_message(500, "Error " + action + "ing haproxy", outcome.error().message);
    }
    if (engines_.is_lvs(lb_id)) {
        // Octavia's words: its agent restarts keepalived on a reload and appends "ed".
        std::string done = (*parsed == LbAction::kReload ? std::string("restart") : action) + "ed";
        return agent_message(202, "OK", "keepalivedlvs listener " + lb_id + " " + done);
    }
    return agent_message(202, "OK", "haproxy daemon for " + lb_id + " " + action + " done");
}

HttpResponse AgentApi::delete_lb(const std::string& lb_id) {
    if (!is_safe_id(lb_id)) {
        return bad_id("load balancer id");
    }
    auto text = read_file(engines_.config_path(lb_id));
    bool lvs = engines_.is_lvs(lb_id);
    engines_.remove_lb(lb_id);
    std::error_code ec;
    if (lvs) {
        fs::remove(engines_.lvs_stats_socket(lb_id), ec);
    } else if (text) {
        auto socket = summarize_engine_config(*text).stats_socket;
        if (!socket.empty()) {
            fs::remove(socket, ec);
        }
    }
    fs::remove_all(engines_.lb_dir(lb_id), ec);
    fs::remove_all(options_.cert_dir + "/" + lb_id, ec);
    return agent_message(200, "OK");
}

HttpResponse AgentApi::list_listeners() {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& lb_id : engines_.configured_lbs()) {
        auto text = read_file(engines_.config_path(lb_id));
        if (!text) {
            continue;
        }
        bool running = engines_.pid_of(lb_id).has_value();
        if (engines_.is_lvs(lb_id)) {
            // Octavia's LVS listener status: the listener id and UDP or SCTP.
            std::string type = text->find("protocol SCTP") != std::string::npos ? "SCTP" : "UDP";
            out.push_back(wire::to_json(
                wire::ListenerStatusEntry{running ? "ACTIVE" : "STOPPED", lb_id, type}));
            continue;
        }
        for (const auto& frontend : summarize_engine_config(*text).frontends) {
            wire::ListenerStatusEntry entry{running ? "ACTIVE" : "STOPPED", frontend.name,
                                            frontend.mode};
            out.push_back(wire::to_json(entry));
        }
    }
    return HttpResponse{200, "application/json", {}, out.dump()};
}

HttpResponse AgentApi::certificate(const std::string& method, const std::string& lb_id,
                                   const std::string& filename, const std::string& body) {
    if (!is_safe_id(lb_id)) {
        return bad_id("load balancer id");
    }
    if (!is_certificate_filename(filename)) {
        return agent_message(400, "Filename has wrong extension",
                             "filename must be [A-Za-z0-9_.-]+.pem: " + filename);
    }
    std::string dir = options_.cert_dir + "/" + lb_id;
    std::string path = dir + "/" + filename;
    std::error_code ec;
    if (method == "PUT") {
        fs::create_directories(dir, ec);
        if (auto written = write_file_atomic(path, body, 0600); !written) {
            return agent_message(500, "Error writing certificate", written.error().message);
        }
        return with_etag(agent_message(200, "OK"), md5_hex(body));
    }
    if (method == "DELETE") {
        fs::remove(path, ec);
        return agent_message(200, "OK");
    }
    auto text = read_file(path);
    if (!text) {
        return agent_message(404, "Certificate Not Found",
                             "No certificate with filename: " + filename);
    }
    nlohmann::json out = {{"md5sum", md5_hex(*text)}};
    return HttpResponse{200, "application/json", {}, out.dump()};
}

}  // namespace octane::agent
