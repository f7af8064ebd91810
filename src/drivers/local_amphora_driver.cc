#include "drivers/local_amphora_driver.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <pwd.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/private_dir.h"
#include "common/strings.h"
#include "drivers/exit_watcher.h"
#include "drivers/firewall_rules.h"
#include "drivers/local_agent_config.h"
#include "drivers/local_process.h"
#include "drivers/lvs_upload.h"
#include "drivers/simulated_hosts.h"
#include "drivers/vrrp_graph_store.h"
#include "drivers/vrrp_takeover.h"
#include "http/https_client.h"
#include "pki/certificate_authority.h"
#include "render/haproxy_config.h"
#include "render/keepalived_config.h"

namespace octane::drivers {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr auto kAgentStartTimeout = std::chrono::seconds(15);
constexpr auto kCertValidity = std::chrono::hours(24 * 365 * 2);
constexpr int kAgentCallAttempts = 3;
constexpr auto kAgentRetryDelay = std::chrono::milliseconds(100);
constexpr uint16_t kAgentPort = 9443;  // Octavia's [haproxy_amphora] bind_port
constexpr const char* kAgentPidFile = "agent.pid";

// compute_id of an amphora: "<where>:<pid>:<management port>", where is "local" (a process of
// the controller's host, sharing its filesystem) or the simulated compute host ("host-1") whose
// server it is (the agent's pid there, as a hypervisor's domain id). The address is lb_network_ip.
struct Location {
    std::string where = "local";
    pid_t pid = 0;
    uint16_t port = 0;
    std::string ip = "127.0.0.1";
};

std::string location_text(const Location& l) {
    return l.where + ":" + std::to_string(l.pid) + ":" + std::to_string(l.port);
}

Result<Location> parse_location(const std::string& compute_id) {
    auto parts = split(compute_id, ':');
    if (parts.size() != 3 || parts[0].empty()) {
        return make_error("not a local amphora: " + compute_id);
    }
    try {
        return Location{parts[0], static_cast<pid_t>(std::stol(parts[1])),
                        static_cast<uint16_t>(std::stoul(parts[2]))};
    } catch (const std::exception&) {
        return make_error("malformed compute id " + compute_id);
    }
}

// An amphora on a simulated compute host: the controller knows it by its agent API only.
bool on_host(const Location& l) {
    return l.where != "local";
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    return text;
}

}  // namespace

struct LocalAmphoraDriver::Impl {
    std::mutex mutex;  // guards options.controllers, set from the main thread
    LocalAmphoraOptions options;
    // Held while the callback runs, so set_on_agent_lost({}) returns only once no report is in
    // flight: what the callback uses may be destroyed right after.
    std::mutex lost_mutex;
    AgentLost on_lost;  // guarded by lost_mutex
    std::unique_ptr<ExitWatcher> watcher;

    void agent_lost(const std::string& amphora_id) {
        spdlog::warn("amphora {}: its agent exited", amphora_id);
        // Before the failover: the VIP moves now, the replacement comes later.
        take_over_from(amphora_id);
        std::lock_guard lock(lost_mutex);
        if (on_lost) {
            on_lost(amphora_id);
        }
    }

    void watch_agent(const std::string& amphora_id, pid_t pid) {
        if (auto watched = watcher->watch(amphora_id, pid, amphora_id); !watched) {
            agent_lost(amphora_id);
        }
    }
    std::optional<pki::CertificateAuthority> ca;
    std::optional<http::HttpsClient> client;
    std::optional<SimulatedHosts> hosts;             // with a network that places amphorae
    std::map<std::string, std::string> vrrp_pushed;  // amphora -> keepalived.conf; under mutex
    VrrpGraphs vrrp_graphs;                          // under mutex
    std::map<std::string, Location> vrrp_agents;     // amphora -> its agent; under mutex

    VrrpGraphStore vrrp_store() const { return VrrpGraphStore(options.state_dir + "/vrrp"); }
    // The graphs of a previous controller run, before any agent's death is handled.
    void load_vrrp_graphs();

    void take_over_from(const std::string& lost);
    // Uploads keepalived.conf, then starts (or reloads) keepalived, or with restart kills and
    // starts it so the new configuration's initial state applies.
    Result<void> push_keepalived(const std::string& amphora_id, const Location& where,
                                 const std::string& config, int attempts, bool restart = false);

    Result<void> apply_engine(const AmphoraInfo& amphora, const Location& where,
                              const json& load_balancer);
    Result<void> apply_vrrp(const AmphoraInfo& amphora, const Location& where,
                            const json& load_balancer);

    std::string amphora_dir(const std::string& id) const {
        return options.state_dir + "/amphorae/" + id;
    }

    // The amphora's base path as its agent sees it (Octavia's /var/lib/octavia): only a name in
    // what the controller renders for the agent; on a host the controller cannot open it.
    std::string base_dir(const std::string& amphora_id, const Location& where) const {
        return on_host(where) ? hosts->disk_path(where.where, amphora_id) : amphora_dir(amphora_id);
    }

    // keepalived.conf for the amphora, its check script named as the amphora's own filesystem
    // names it.
    Result<std::string> keepalived_conf(const json& graph, const std::string& amphora_id,
                                        const Location& where) const {
        auto input = render::keepalived_input(
            graph, amphora_id, base_dir(amphora_id, where) + "/vrrp/check_script.sh");
        if (!input) {
            return Unexpected(input.error());
        }
        return render::render_keepalived_conf(*input);
    }

    Result<pid_t> boot_on_host(const std::string& amphora_id, const AmphoraPlacement& placement,
                               const LocalAmphoraOptions& o, pki::IssuedCert* cert) const;
    Result<pid_t> boot_local(const std::string& amphora_id, const std::string& mgmt_ip,
                             const LocalAmphoraOptions& o, pki::TimePoint* not_after) const;

    Result<http::HttpsResponse> call(const std::string& amphora_id, const Location& where,
                                     const std::string& method, const std::string& target,
                                     const std::string& body = {},
                                     const std::string& content_type = {},
                                     int attempts = kAgentCallAttempts) const {
        http::HttpsRequest request;
        request.method = method;
        request.host = where.ip;
        request.port = where.port;
        request.target = target;
        request.expected_server_name = amphora_id;
        request.body = body;
        request.content_type = content_type;
        // Every agent call is idempotent (PUT of a whole config, reload, DELETE, GET), so a
        // transport failure (agent busy accepting, a reset) is retried, as Octavia's amphora
        // driver does; an HTTP answer, even an error, is final.
        Result<http::HttpsResponse> answer = client->request(request);
        for (int attempt = 1; !answer && attempt < attempts; ++attempt) {
            std::this_thread::sleep_for(kAgentRetryDelay * attempt);
            answer = client->request(request);
        }
        return answer;
    }

    // PUT /1.0/interface/{vrrp ip}/rules (docs/amphora.md §1, "allowed_cidrs"); a single
    // amphora has no VRRP peers. Without a VRRP port (local network driver) the VIP names it.
    Result<void> put_firewall_rules(const AmphoraInfo& amphora, const Location& where,
                                    const json& load_balancer) const {
        std::string ip =
            amphora.vrrp_ip.empty() ? load_balancer.value("vip_address", "") : amphora.vrrp_ip;
        if (ip.empty()) {
            return {};  // no address to name the interface by (no VIP yet)
        }
        auto answer = call(amphora.id, where, "PUT", "/1.0/interface/" + ip + "/rules",
                           amphora_firewall_rules(
                               load_balancer, render::vrrp_peer_ips(load_balancer, amphora.vrrp_ip))
                               .dump(),
                           "application/json");
        if (!answer) {
            return Unexpected(answer.error());
        }
        if (answer->status != 200) {
            return make_error("agent refused the interface rules (" +
                              std::to_string(answer->status) + "): " + answer->body);
        }
        return {};
    }

    // Waits until the agent answers GET / over mutual TLS: on a host at lb_network_ip:9443, as
    // Octavia's controller polls a booting amphora; a local agent (any port) first writes its
    // port file. `log` is where the agent's output goes.
    Result<Location> wait_for_agent(const std::string& amphora_id, const Location& booted,
                                    const std::string& log) const {
        std::string port_file = amphora_dir(amphora_id) + "/agent.port";
        auto deadline = std::chrono::steady_clock::now() + kAgentStartTimeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (!process_alive(booted.pid)) {
                return make_error("amphora agent " + amphora_id + " exited at start (see " + log +
                                  ")");
            }
            std::string port = on_host(booted) ? std::to_string(kAgentPort) : read_file(port_file);
            if (!port.empty()) {
                Location where = booted;
                where.port = static_cast<uint16_t>(std::stoul(port));
                // The caller's loop is the retry here.
                auto answer = call(amphora_id, where, "GET", "/", {}, {}, 1);
                if (answer && answer->status == 200) {
                    return where;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return make_error("amphora agent " + amphora_id + " did not come up in time");
    }

    render::RenderContext render_context(const AmphoraInfo& amphora, const Location& where,
                                         const std::string& lb_id) const {
        render::RenderContext ctx;
        ctx.amphora_id = amphora.id;
        ctx.base_dir = base_dir(amphora.id, where);
        // sun_path holds 107 bytes; the state directory may be long. (On a host, this directory
        // is the amphora's own.)
        ctx.stats_socket = private_socket_dir() + "/" + amphora.id.substr(0, 8) + "-" +
                           lb_id.substr(0, 8) + ".sock";
        ctx.log_target = "127.0.0.1:514";
        // The engine runs as the controller's own user: a local amphora is not a VM of its own.
        if (const passwd* self = getpwuid(geteuid()); self != nullptr) {
            ctx.user = self->pw_name;
        }
        return ctx;
    }
};

LocalAmphoraDriver::LocalAmphoraDriver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LocalAmphoraDriver::~LocalAmphoraDriver() = default;

Result<std::unique_ptr<LocalAmphoraDriver>> LocalAmphoraDriver::create(
    LocalAmphoraOptions options) {
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    if (auto made = ensure_private_dir(private_socket_dir()); !made) {
        return Unexpected(made.error());
    }
    std::string pki_dir = impl->options.state_dir + "/pki";
    auto ca = pki::CertificateAuthority::open_or_create({pki_dir});
    if (!ca) {
        return Unexpected(ca.error());
    }
    auto client_cert = ca->issue_client_cert("octane-controller", kCertValidity, pki_dir);
    if (!client_cert) {
        return Unexpected(client_cert.error());
    }
    http::HttpsClientOptions client_options;
    client_options.ca_file = ca->ca_cert_path();
    client_options.cert_file = client_cert->cert_path;
    client_options.key_file = client_cert->key_path;
    client_options.connect_timeout = std::chrono::milliseconds(2000);
    client_options.read_timeout = std::chrono::milliseconds(30000);
    auto client = http::HttpsClient::create(client_options);
    if (!client) {
        return Unexpected(client.error());
    }
    impl->ca.emplace(std::move(*ca));
    impl->client.emplace(std::move(*client));
    auto watcher =
        ExitWatcher::start([i = impl.get()](const std::string& id) { i->agent_lost(id); });
    if (!watcher) {
        return Unexpected(watcher.error());
    }
    impl->watcher = std::move(*watcher);
    if (impl->options.networking != nullptr) {
        impl->hosts.emplace(impl->options.state_dir + "/compute");
    }
    return std::unique_ptr<LocalAmphoraDriver>(new LocalAmphoraDriver(std::move(impl)));
}

Result<pid_t> LocalAmphoraDriver::Impl::boot_local(const std::string& amphora_id,
                                                   const std::string& mgmt_ip,
                                                   const LocalAmphoraOptions& o,
                                                   pki::TimePoint* not_after) const {
    std::string dir = amphora_dir(amphora_id);
    if (auto made = ensure_private_dir(dir); !made) {
        return Unexpected(made.error());
    }
    auto cert = ca->issue_amphora_cert(amphora_id, mgmt_ip, kCertValidity, dir);
    if (!cert) {
        return Unexpected(cert.error());
    }
    *not_after = cert->not_after;
    std::vector<std::string> argv = {o.octane_binary,
                                     "agent",
                                     "--amphora-id",
                                     amphora_id,
                                     "--state-dir",
                                     dir,
                                     "--bind-host",
                                     mgmt_ip,
                                     "--bind-port",
                                     "0",
                                     "--server-cert",
                                     cert->cert_path,
                                     "--server-key",
                                     cert->key_path,
                                     "--client-ca",
                                     ca->ca_cert_path(),
                                     "--engine",
                                     o.engine_binary,
                                     "--heartbeat-interval",
                                     std::to_string(o.heartbeat_interval_s)};
    if (!o.heartbeat_key.empty()) {
        auto config = write_agent_config(dir, o.heartbeat_key);
        if (!config) {
            return Unexpected(config.error());
        }
        argv.insert(argv.end(), {"--config-file", *config});
    }
    for (const auto& controller : o.controllers) {
        argv.insert(argv.end(), {"--controller", controller});
    }
    auto pid = spawn_detached(argv, dir + "/agent.log");
    if (pid) {
        // For watch_existing() after a controller restart.
        std::ofstream(dir + "/" + kAgentPidFile, std::ios::trunc) << *pid << "\n";
    }
    return pid;
}

// The config drive carries what Octavia's user data does: the agent's server certificate and
// key, the CA it checks the controller's client certificate with, amphora-agent.conf.
Result<pid_t> LocalAmphoraDriver::Impl::boot_on_host(const std::string& amphora_id,
                                                     const AmphoraPlacement& placement,
                                                     const LocalAmphoraOptions& o,
                                                     pki::IssuedCert* cert) const {
    auto issued = ca->amphora_cert(amphora_id, placement.mgmt_ip, kCertValidity);
    if (!issued) {
        return Unexpected(issued.error());
    }
    *cert = *issued;
    BootRequest boot;
    boot.host = placement.host;
    boot.amphora_id = amphora_id;
    boot.mgmt_netns = placement.mgmt_netns;
    const std::string disk = hosts->disk_path(placement.host, amphora_id);
    boot.config_drive = {{"etc/server.crt", issued->cert_pem},
                         {"etc/server.key", issued->key_pem},
                         {"etc/client_ca.pem", ca->ca_cert_pem()}};
    boot.agent_argv = {o.octane_binary,
                       "agent",
                       "--amphora-id",
                       amphora_id,
                       "--state-dir",
                       disk,
                       "--bind-host",
                       placement.mgmt_ip,
                       "--bind-port",
                       std::to_string(kAgentPort),
                       "--server-cert",
                       disk + "/etc/server.crt",
                       "--server-key",
                       disk + "/etc/server.key",
                       "--client-ca",
                       disk + "/etc/client_ca.pem",
                       "--engine",
                       o.engine_binary,
                       "--heartbeat-interval",
                       std::to_string(o.heartbeat_interval_s),
                       "--engine-netns",
                       placement.engine_netns};
    if (!o.heartbeat_key.empty()) {
        auto config = agent_config_text(o.heartbeat_key);
        if (!config) {
            return Unexpected(config.error());
        }
        boot.config_drive.emplace_back("etc/amphora-agent.conf", *config);
        boot.agent_argv.insert(boot.agent_argv.end(),
                               {"--config-file", disk + "/etc/amphora-agent.conf"});
    }
    for (const auto& controller : o.controllers) {
        boot.agent_argv.insert(boot.agent_argv.end(), {"--controller", controller});
    }
    return hosts->boot(boot);
}

Result<AmphoraInfo> LocalAmphoraDriver::create_amphora(const std::string& amphora_id,
                                                       const json& load_balancer,
                                                       const AmphoraRequest& request) {
    LocalAmphoraOptions o;
    {
        std::lock_guard lock(impl_->mutex);
        o = impl_->options;
    }
    AmphoraPlacement placement;
    placement.mgmt_ip = "127.0.0.1";
    if (o.networking != nullptr) {
        auto placed = o.networking->plug_amphora(amphora_id, load_balancer, request);
        if (!placed) {
            return Unexpected(placed.error());
        }
        placement = *placed;
    }
    auto unplug = [&] {
        if (o.networking != nullptr) {
            if (auto gone = o.networking->unplug_amphora(amphora_id); !gone) {
                spdlog::error("amphora {}: cannot unplug: {}", amphora_id, gone.error().message);
            }
        }
    };
    Location booted;
    booted.ip = placement.mgmt_ip;
    pki::TimePoint not_after;
    std::string log;
    Result<pid_t> pid = make_error("not booted");
    if (o.networking != nullptr) {
        booted.where = placement.host;
        pki::IssuedCert cert;
        pid = impl_->boot_on_host(amphora_id, placement, o, &cert);
        not_after = cert.not_after;
        log = impl_->hosts->console_log(placement.host, amphora_id);
    } else {
        pid = impl_->boot_local(amphora_id, placement.mgmt_ip, o, &not_after);
        log = impl_->amphora_dir(amphora_id) + "/agent.log";
    }
    if (!pid) {
        if (impl_->hosts) {
            impl_->hosts->destroy(placement.host, amphora_id);
        }
        unplug();
        return Unexpected(pid.error());
    }
    booted.pid = *pid;
    auto where = impl_->wait_for_agent(amphora_id, booted, log);
    if (!where) {
        if (on_host(booted)) {
            impl_->hosts->destroy(placement.host, amphora_id);
        } else {
            stop_process(*pid, std::chrono::seconds(2));
        }
        unplug();
        return Unexpected(where.error());
    }
    spdlog::info("amphora {} started on {}: agent pid {} on {}:{}", amphora_id, booted.where, *pid,
                 placement.mgmt_ip, where->port);
    impl_->watch_agent(amphora_id, *pid);
    AmphoraInfo info;
    info.id = amphora_id;
    info.compute_id = location_text(*where);
    info.lb_network_ip = placement.mgmt_ip;
    info.vrrp_ip = placement.vrrp_ip;
    info.vrrp_port_id = placement.vrrp_port_id;
    if (!placement.vrrp_port_id.empty()) {
        info.vrrp_interface = placement.vrrp_interface;
    }
    info.cached_zone = placement.host;
    info.cert_expiration = format_timestamp(not_after);
    info.compute_flavor = on_host(booted) ? "simulated-host" : "local-process";
    return info;
}

Result<void> LocalAmphoraDriver::apply(const AmphoraInfo& amphora, const json& load_balancer) {
    auto where = parse_location(amphora.compute_id);
    if (!where) {
        return Unexpected(where.error());
    }
    if (!amphora.lb_network_ip.empty()) {
        where->ip = amphora.lb_network_ip;
    }
    // Before the engine opens a new port, so it is never open to more than allowed_cidrs.
    if (auto ruled = impl_->put_firewall_rules(amphora, *where, load_balancer); !ruled) {
        return ruled;
    }
    // As Octavia's flows: the listeners' configuration first, then VRRP, so a new BACKUP's
    // engine is ready before keepalived may make it MASTER.
    if (auto served = impl_->apply_engine(amphora, *where, load_balancer); !served) {
        return served;
    }
    return impl_->apply_vrrp(amphora, *where, load_balancer);
}

Result<void> LocalAmphoraDriver::Impl::apply_engine(const AmphoraInfo& amphora, const Location& at,
                                                    const json& load_balancer) {
    const Location* where = &at;
    std::string lb_id = load_balancer.value("id", "");
    auto lvs = apply_lvs_listeners(
        load_balancer, amphora.id,
        [&](const std::string& method, const std::string& target, const std::string& body) {
            return call(amphora.id, *where, method, target, body, "text/plain");
        });
    if (!lvs) {
        return lvs;
    }
    if (!has_haproxy_listener(load_balancer)) {
        auto removed = call(amphora.id, *where, "DELETE", "/1.0/listeners/" + lb_id);
        if (!removed) {
            return Unexpected(removed.error());
        }
        return {};
    }
    auto ctx = render_context(amphora, at, lb_id);
    if (load_balancer.value("topology", "") == "ACTIVE_STANDBY") {
        // Octavia's haproxy.cfg of a pair: a peers section of the ALLOCATED amphorae on their
        // VRRP addresses, which the stick tables name (replicated by HAProxy; octane-proxy
        // parses it and warns that it does not replicate yet).
        ctx.topology = render::Topology::kActiveStandby;
        for (const auto& peer : load_balancer.value("amphorae", json::array())) {
            ctx.amphorae.push_back(
                {peer.value("id", ""), peer.value("vrrp_ip", ""), peer.value("status", "")});
        }
    }
    if (options.tls_source) {
        const std::string cert_dir = ctx.base_dir + "/certs/" + lb_id;
        auto put = [&](const std::string& filename, const std::string& pem) -> Result<void> {
            auto stored =
                call(amphora.id, *where, "PUT",
                     "/1.0/loadbalancer/" + lb_id + "/certificates/" + filename, pem, "text/plain");
            if (!stored) {
                return Unexpected(stored.error());
            }
            if (stored->status != 200) {
                return make_error("agent refused certificate " + filename + " (" +
                                  std::to_string(stored->status) + "): " + stored->body);
            }
            return {};
        };
        auto shipped = upload_tls_files(options.tls_source, load_balancer, cert_dir, ctx, put);
        if (!shipped) {
            return shipped;
        }
    }
    auto config = render::render_haproxy_cfg(load_balancer, ctx);
    if (!config) {
        return make_error("render failed: " + config.error().message);
    }
    auto uploaded =
        call(amphora.id, *where, "PUT",
             "/1.0/loadbalancer/" + amphora.id + "/" + lb_id + "/haproxy", *config, "text/plain");
    if (!uploaded) {
        return Unexpected(uploaded.error());
    }
    if (uploaded->status != 202) {
        return make_error("agent refused the configuration (" + std::to_string(uploaded->status) +
                          "): " + uploaded->body);
    }
    auto reloaded = call(amphora.id, *where, "PUT", "/1.0/loadbalancer/" + lb_id + "/reload");
    if (!reloaded) {
        return Unexpected(reloaded.error());
    }
    if (reloaded->status != 202) {
        return make_error("agent reload failed (" + std::to_string(reloaded->status) +
                          "): " + reloaded->body);
    }
    return {};
}

Result<void> LocalAmphoraDriver::Impl::apply_vrrp(const AmphoraInfo& amphora, const Location& where,
                                                  const json& load_balancer) {
    if (load_balancer.value("topology", "") != "ACTIVE_STANDBY" || amphora.vrrp_ip.empty()) {
        return {};
    }
    json graph = load_balancer;
    AmphoraNetworking* net = nullptr;
    {
        std::lock_guard lock(mutex);
        net = options.networking;
    }
    if (net != nullptr) {
        auto subnet = net->vip_subnet(load_balancer.value("vip_subnet_id", ""));
        if (!subnet) {
            return Unexpected(subnet.error());
        }
        graph["vip_subnet"] = {{"cidr", subnet->cidr},
                               {"gateway_ip", subnet->gateway_ip},
                               {"host_routes", subnet->host_routes}};
    }
    auto config = keepalived_conf(graph, amphora.id, where);
    if (!config) {
        return Unexpected(config.error());
    }
    {
        // An unchanged configuration is not sent again: each push reloads keepalived.
        std::lock_guard lock(mutex);
        if (vrrp_graphs[amphora.id] != graph) {
            auto saved = vrrp_store().save(amphora.id, {graph, location_text(where), where.ip});
            if (!saved) {
                spdlog::warn(
                    "amphora {}: VRRP graph not saved, a restarted controller will not "
                    "take over at once: {}",
                    amphora.id, saved.error().message);
            }
        }
        vrrp_graphs[amphora.id] = graph;
        vrrp_agents[amphora.id] = where;
        if (vrrp_pushed[amphora.id] == *config) {
            return {};
        }
    }
    return push_keepalived(amphora.id, where, *config, kAgentCallAttempts);
}

Result<void> LocalAmphoraDriver::Impl::push_keepalived(const std::string& amphora_id,
                                                       const Location& where,
                                                       const std::string& config, int attempts,
                                                       bool restart) {
    auto uploaded =
        call(amphora_id, where, "PUT", "/1.0/vrrp/upload", config, "text/plain", attempts);
    if (!uploaded) {
        return Unexpected(uploaded.error());
    }
    if (uploaded->status != 200) {
        return make_error("agent refused the keepalived configuration (" +
                          std::to_string(uploaded->status) + "): " + uploaded->body);
    }
    auto started = call(amphora_id, where, "PUT", restart ? "/1.0/vrrp/restart" : "/1.0/vrrp/start",
                        {}, {}, attempts);
    if (!started) {
        return Unexpected(started.error());
    }
    if (started->status != 202) {
        return make_error("keepalived start failed (" + std::to_string(started->status) +
                          "): " + started->body);
    }
    std::lock_guard lock(mutex);
    vrrp_pushed[amphora_id] = config;
    return {};
}

Result<void> LocalAmphoraDriver::unplug_amphora(const std::string& amphora_id) {
    AmphoraNetworking* networking = nullptr;
    {
        std::lock_guard lock(impl_->mutex);
        networking = impl_->options.networking;
    }
    if (networking == nullptr) {
        return {};
    }
    // Ports and namespaces go with the amphora (and any process still inside them).
    return networking->unplug_amphora(amphora_id);
}

void LocalAmphoraDriver::Impl::take_over_from(const std::string& lost) {
    std::string peer;
    json graph;
    Location where;
    {
        std::lock_guard lock(mutex);
        auto found = takeover_peer(vrrp_graphs, lost);
        if (!found) {
            return;
        }
        peer = *found;
        graph = takeover_graph(vrrp_graphs[peer]);
        where = vrrp_agents[peer];
    }
    auto config = keepalived_conf(graph, peer, where);
    // One attempt: a survivor that does not answer at once is no faster than VRRP's own timer.
    auto pushed = config ? push_keepalived(peer, where, *config, 1, true)
                         : Result<void>(Unexpected(config.error()));
    if (!pushed) {
        spdlog::error("amphora {}: VRRP takeover from {} failed, VRRP's timer decides: {}", peer,
                      lost, pushed.error().message);
        return;
    }
    spdlog::warn("amphora {}: took the VIP over from {} (keepalived restarted as address owner)",
                 peer, lost);
}

void LocalAmphoraDriver::set_controllers(std::vector<std::string> controllers) {
    std::lock_guard lock(impl_->mutex);
    impl_->options.controllers = std::move(controllers);
}

void LocalAmphoraDriver::set_on_agent_lost(AgentLost on_lost) {
    std::lock_guard lock(impl_->lost_mutex);
    impl_->on_lost = std::move(on_lost);
}

void LocalAmphoraDriver::Impl::load_vrrp_graphs() {
    std::lock_guard lock(mutex);
    for (auto& [amphora_id, stored] : vrrp_store().load_all()) {
        auto where = parse_location(stored.compute_id);
        if (!where) {
            continue;
        }
        if (!stored.lb_network_ip.empty()) {
            where->ip = stored.lb_network_ip;
        }
        vrrp_graphs.emplace(amphora_id, std::move(stored.graph));
        vrrp_agents.emplace(amphora_id, *where);
    }
}

size_t LocalAmphoraDriver::watch_existing() {
    impl_->load_vrrp_graphs();
    size_t watched = 0;
    if (impl_->hosts) {
        // The hosts' server records: a hypervisor reports its VMs' deaths.
        for (const auto& server : impl_->hosts->servers()) {
            if (process_matches(server.pid, server.amphora_id)) {
                impl_->watch_agent(server.amphora_id, server.pid);
            } else {
                impl_->agent_lost(server.amphora_id);
            }
            watched += impl_->watcher->watching(server.amphora_id) ? 1 : 0;
        }
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(impl_->options.state_dir + "/amphorae", ec)) {
        std::string pid_text = read_file((entry.path() / kAgentPidFile).string());
        if (pid_text.empty()) {
            continue;  // not started by this driver (yet), or deleted meanwhile
        }
        std::string amphora_id = entry.path().filename().string();
        try {
            impl_->watch_agent(amphora_id, static_cast<pid_t>(std::stol(pid_text)));
        } catch (const std::exception&) {
            impl_->agent_lost(amphora_id);  // a torn pid file: nobody watches that agent
        }
        watched += impl_->watcher->watching(amphora_id) ? 1 : 0;
    }
    return watched;
}

Result<void> LocalAmphoraDriver::delete_amphora(const AmphoraInfo& amphora) {
    // Stopped on purpose: not a death to fail over.
    impl_->watcher->unwatch(amphora.id);
    {
        std::lock_guard lock(impl_->mutex);
        impl_->vrrp_pushed.erase(amphora.id);
        impl_->vrrp_graphs.erase(amphora.id);
        impl_->vrrp_agents.erase(amphora.id);
        impl_->vrrp_store().forget(amphora.id);
    }
    auto where = parse_location(amphora.compute_id);
    if (where && on_host(*where)) {
        // Nova's delete: the host stops the VM; its ports and namespaces go below.
        if (impl_->hosts) {
            impl_->hosts->destroy(where->where, amphora.id);
        }
        return unplug_amphora(amphora.id);
    }
    if (where && process_matches(where->pid, amphora.id)) {
        // The agent stops its engines on SIGTERM; a dead agent's engines are found by pid files.
        stop_process(where->pid, std::chrono::seconds(5));
    }
    std::string dir = impl_->amphora_dir(amphora.id);
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".pid") {
            std::string pid_text = read_file(entry.path().string());
            try {
                auto pid = static_cast<pid_t>(std::stol(pid_text));
                // An engine runs `-f <amphora dir>/<lb id>/haproxy.cfg`.
                if (process_matches(pid, dir)) {
                    stop_process(pid, std::chrono::seconds(5));
                }
            } catch (const std::exception&) {
            }
        }
    }
    if (!where) {
        // Never recorded as started (BOOTING): its controller may have died between the fork and
        // the pid file; the agent and its engines name this directory on their command lines.
        stop_processes(processes_matching(dir + "/"), std::chrono::seconds(5));
    }
    fs::remove_all(dir, ec);
    if (auto gone = unplug_amphora(amphora.id); !gone) {
        return gone;
    }
    // The stats sockets live in a short private directory: <dir>/<amphora>-<lb>.sock.
    std::string prefix = amphora.id.substr(0, 8) + "-";
    for (const auto& entry : fs::directory_iterator(private_socket_dir(), ec)) {
        if (entry.path().filename().string().rfind(prefix, 0) == 0) {
            fs::remove(entry.path(), ec);
        }
    }
    return {};
}

}  // namespace octane::drivers
