#include "service/daemons.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include <signal.h>
#include <sys/stat.h>

#include "api/api_service.h"
#include "common/file_util.h"
#include "common/logging.h"
#include "common/private_dir.h"
#include "common/stop_signals.h"
#include "controller/health/failover_check.h"
#include "controller/health/health_manager.h"
#include "controller/health/heartbeat_key.h"
#include "controller/worker/worker.h"
#include "db/open_database.h"
#include "db/schema.h"
#include "drivers/amphora_driver.h"
#include "drivers/local_amphora_driver.h"
#include "drivers/noop_network_driver.h"
#include "http/http_server.h"
#include "service/metrics_endpoint.h"
#include "service/surfaces.h"

namespace octane::service {
namespace {

// The `local` amphora driver: agents are `octane agent` processes of this very binary, running
// the octane-proxy built beside it, reporting to this controller's health manager.
Result<std::unique_ptr<drivers::LocalAmphoraDriver>> make_local_amphora_driver(
    const ServiceOptions& options, drivers::AmphoraNetworking* networking,
    drivers::TlsSource tls_source) {
    if (options.amphora_driver != "local") {
        return std::unique_ptr<drivers::LocalAmphoraDriver>();
    }
    drivers::LocalAmphoraOptions local;
    std::error_code ec;
    local.state_dir = std::filesystem::absolute(options.state_dir, ec).string();
    local.octane_binary = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    local.engine_binary =
        (std::filesystem::path(local.octane_binary).parent_path() / "octane-proxy").string();
    auto key = options.heartbeat_key.empty()
                   ? controller::health::load_or_create_heartbeat_key(options.state_dir)
                   : Result<std::string>(options.heartbeat_key);
    if (!key) {
        return Unexpected(key.error());
    }
    local.heartbeat_key = *key;
    local.heartbeat_interval_s = static_cast<double>(options.heartbeat_interval);
    if (options.heartbeat_timeout <= options.heartbeat_interval) {
        // Not refused (Octavia does not either), but every amphora would look stale between two
        // of its heartbeats and be failed over again and again.
        spdlog::warn(
            "health_manager.heartbeat_timeout ({} s) is not above heartbeat_interval ({} s): "
            "amphorae will be failed over between their heartbeats",
            options.heartbeat_timeout, options.heartbeat_interval);
    }
    std::string health_ip = options.health_bind_ip.empty() ? "127.0.0.1" : options.health_bind_ip;
    local.controllers = {health_ip + ":" + std::to_string(options.health_bind_port)};
    local.networking = networking;
    local.tls_source = std::move(tls_source);
    return drivers::LocalAmphoraDriver::create(std::move(local));
}

// The health manager of serve and health: options mapped, key file read or created, started.
Result<std::unique_ptr<controller::health::HealthManager>> start_health_manager(
    const ServiceOptions& options, db::Database& db, const Clock& clock,
    std::function<void()> notify_worker) {
    controller::health::HealthManagerOptions h;
    h.heartbeat_key = options.heartbeat_key;
    if (h.heartbeat_key.empty()) {
        auto key = controller::health::load_or_create_heartbeat_key(options.state_dir);
        if (!key) {
            return Unexpected(key.error());
        }
        h.heartbeat_key = *key;
    }
    h.bind_ip = options.health_bind_ip.empty() ? "127.0.0.1" : options.health_bind_ip;
    h.bind_port = static_cast<uint16_t>(options.health_bind_port);
    h.heartbeat_timeout = std::chrono::seconds(options.heartbeat_timeout);
    h.check_interval = std::chrono::seconds(options.health_check_interval);
    h.max_datagram = static_cast<size_t>(options.health_max_datagram);
    // noop amphorae have no agent: only those that did report are watched for silence.
    h.fail_over_never_seen =
        options.amphora_driver != "noop" && options.amphora_driver != "amphora_noop_driver";
    h.state_dir = options.state_dir;
    h.peers_may_share_host = options.linuxbridge.anti_affinity != linuxbridge::AntiAffinity::kHard;
    auto manager = std::make_unique<controller::health::HealthManager>(db, clock, std::move(h),
                                                                       std::move(notify_worker));
    if (auto started = manager->start(); !started) {
        return Unexpected(started.error());
    }
    return manager;
}

}  // namespace

int run_daemon(Role role, const ServiceOptions& options) {
    sigset_t signals = block_stop_signals();
    setup_logging(options.debug ? "debug" : "info", options.log_file);
    // 0700 also when it was made before: it holds the database, the CA key, the heartbeat key.
    if (auto made = ensure_private_dir(options.state_dir); !made) {
        spdlog::critical("state directory: {}", made.error().message);
        return 1;
    }
    auto url = database_url(options);
    if (!url) {
        spdlog::critical("{}", url.error().message);
        return 1;
    }
    auto database = db::open_database(*url);
    if (!database) {
        spdlog::critical("{}", database.error().message);
        return 1;
    }
    if (auto migrated = db::migrate(**database); !migrated) {
        spdlog::critical("database migration failed: {}", migrated.error().message);
        return 1;
    }
    SystemClock clock;
    auto surfaces = Surfaces::create(**database, clock, options);
    if (!surfaces) {
        spdlog::critical("identity/networking setup failed: {}", surfaces.error().message);
        return 1;
    }
    drivers::NoopNetworkDriver noop_network;
    drivers::NetworkDriver& network =
        (*surfaces)->network_driver() ? *(*surfaces)->network_driver() : noop_network;
    drivers::NoopAmphoraDriver noop_amphorae;
    auto local_amphorae = make_local_amphora_driver(options, (*surfaces)->amphora_networking(),
                                                    (*surfaces)->tls_source());
    if (!local_amphorae) {
        spdlog::critical("amphora driver setup failed: {}", local_amphorae.error().message);
        return 1;
    }
    drivers::AmphoraDriver& amphorae =
        *local_amphorae ? static_cast<drivers::AmphoraDriver&>(**local_amphorae) : noop_amphorae;
    db::ObjectStore store(**database);

    // Declared before what reports to it, so it outlives them; its listener starts last.
    metrics::ControllerMetrics metrics;
    std::atomic<uint64_t> direct_failovers{0};
    std::unique_ptr<controller::Worker> worker;
    if (role == Role::kAllInOne || role == Role::kWorkerOnly) {
        controller::WorkerOptions worker_options;
        worker_options.on_flow_finished = [&metrics](const std::string& from, bool succeeded,
                                                     double seconds) {
            metrics.flow_finished(from, succeeded, seconds);
        };
        worker_options.lease_ms = options.worker_lease_seconds * 1000;
        worker_options.poll_ms = options.worker_poll_ms;
        worker_options.threads = static_cast<int>(options.worker_threads);
        worker_options.default_topology = options.loadbalancer_topology;
        worker_options.vrrp_advert_int = static_cast<int>(options.vrrp_advert_int);
        worker_options.keepalived_vrrp = {{"check_interval", options.vrrp_check_interval},
                                          {"fail_count", options.vrrp_fail_count},
                                          {"success_count", options.vrrp_success_count},
                                          {"garp_refresh", options.vrrp_garp_refresh_interval},
                                          {"garp_refresh_repeat", options.vrrp_garp_refresh_count}};
        // keepalived needs an L2 segment per VIP network and a namespace per amphora; the noop
        // driver records the pair, as Octavia's noop drivers do.
        worker_options.vrrp_capable =
            (options.network_driver == "linuxbridge" && options.amphora_driver == "local") ||
            options.amphora_driver == "noop" || options.amphora_driver == "amphora_noop_driver";
        worker = std::make_unique<controller::Worker>(**database, amphorae, network, clock,
                                                      worker_options);
    }

    api::ApiSettings settings;
    settings.auth_strategy = options.auth_strategy;
    settings.pagination_max_limit = options.pagination_max_limit;
    settings.api_base_uri = options.api_base_uri;
    settings.healthcheck_enabled = options.healthcheck_enabled;
    settings.quota_defaults = options.quota_defaults;
    api::ApiContext context{**database, store, network, clock, settings, {}};
    context.authenticate = (*surfaces)->authenticator();
    context.check_tls_refs = (*surfaces)->tls_ref_check();
    if (worker) {
        context.notify_worker = [w = worker.get()] { w->notify(); };
    }
    api::ApiService service(context);
    std::unique_ptr<http::HttpServer> server;
    if (role == Role::kAllInOne || role == Role::kApiOnly) {
        http::HttpServerOptions http_options;
        http_options.bind_host = options.bind_host;
        http_options.bind_port = static_cast<uint16_t>(options.bind_port);
        http_options.threads = options.api_threads;
        http_options.max_body_bytes = static_cast<size_t>(options.max_request_body_size);
        http_options.max_connections = static_cast<size_t>(options.max_connections);
        http_options.max_connections_per_client =
            static_cast<size_t>(options.max_connections_per_client);
        http_options.header_timeout = std::chrono::seconds(options.header_timeout);
        http_options.keepalive_timeout = std::chrono::seconds(options.keepalive_timeout);
        server = std::make_unique<http::HttpServer>(
            http_options, measured((*surfaces)->wrap([&service](const http::HttpRequest& r) {
                return service.handle(r);
            }),
                                   metrics));
        // Accepting only after first-start setup: a client that reaches the API can already use
        // the admin user, admin-openrc and the catalog that names this port.
        if (auto listening = server->listen(); !listening) {
            spdlog::critical("{}", listening.error().message);
            return 1;
        }
        if (auto ready = (*surfaces)->bootstrap(options.bind_host, server->port()); !ready) {
            spdlog::critical("first-start setup failed: {}", ready.error().message);
            return 1;
        }
        if (auto started = server->start(); !started) {
            spdlog::critical("{}", started.error().message);
            return 1;
        }
        if (auto written = write_port_file(options.state_dir + "/api.port", server->port());
            !written) {
            spdlog::critical("{}", written.error().message);
            return 1;
        }
        spdlog::info("Octavia v2 API listening on {}:{} (state {}, database {})", options.bind_host,
                     server->port(), options.state_dir,
                     // A PostgreSQL URL may carry a password: name the engine only.
                     url->engine == db::Engine::kSqlite ? url->target : "PostgreSQL");
    }
    std::unique_ptr<controller::health::FailoverCheck> direct_failover;
    if (worker && *local_amphorae) {
        // The amphorae this process starts are watched directly: a dead agent is failed over at
        // once, through the health manager's request, instead of after heartbeat_timeout.
        direct_failover = std::make_unique<controller::health::FailoverCheck>(
            **database, clock, controller::health::FailoverCheckOptions{});
        (*local_amphorae)
            ->set_on_agent_lost([check = direct_failover.get(), w = worker.get(),
                                 &direct_failovers](const std::string& amphora_id) {
                auto requested = check->request_failover_of(amphora_id);
                if (!requested) {
                    spdlog::error("amphora {}: failover not requested: {}", amphora_id,
                                  requested.error().message);
                } else if (*requested) {
                    direct_failovers.fetch_add(1);
                    spdlog::warn("amphora {} of load balancer {}: agent died, failover requested",
                                 amphora_id, (*requested)->load_balancer_id);
                    w->notify();
                } else {
                    spdlog::info("amphora {}: agent gone while not in service; heartbeats decide",
                                 amphora_id);
                }
            });
    }
    if (worker) {
        // After first-start set-up: with linuxbridge, the machine is reconciled with the database
        // before any amphora is plugged.
        worker->start();
        spdlog::info("worker running (lease {} s)", options.worker_lease_seconds);
        if (*local_amphorae) {
            spdlog::info("watching the agents of {} local amphorae",
                         (*local_amphorae)->watch_existing());
        }
    }
    // In serve, a health manager that cannot start (its port taken by another controller on this
    // host) leaves the API and worker running, with a loud error; `octane health` fails instead.
    std::unique_ptr<controller::health::HealthManager> health;
    if (role == Role::kAllInOne || role == Role::kHealthOnly) {
        std::function<void()> notify;
        if (worker) {
            notify = [w = worker.get()] { w->notify(); };
        }
        ServiceOptions health_options = options;
        if (health_options.health_bind_ip.empty()) {
            // Amphorae on lb-mgmt-net reach the controller through o-hm0, as in Octavia.
            std::string controller = (*surfaces)->controller_ip();
            health_options.health_bind_ip = controller.empty() ? "127.0.0.1" : controller;
        }
        auto started = start_health_manager(health_options, **database, clock, std::move(notify));
        if (started) {
            health = std::move(*started);
            if (*local_amphorae) {
                // Agents report to the port actually bound (the option may be 0).
                (*local_amphorae)
                    ->set_controllers(
                        {health_options.health_bind_ip + ":" + std::to_string(health->port())});
            }
        } else if (role == Role::kHealthOnly) {
            spdlog::critical("{}", started.error().message);
            return 1;
        } else {
            spdlog::error("health manager not started; amphora health and failover are off: {}",
                          started.error().message);
        }
    }
    add_controller_sources(
        metrics, **database, [&health] { return health ? &health->counters() : nullptr; },
        direct_failovers);
    auto metrics_server = start_metrics_server(options, metrics);
    if (!metrics_server) {
        spdlog::critical("{}", metrics_server.error().message);
        return 1;
    }
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {} received, shutting down", received);
    if (*metrics_server) {
        (*metrics_server)->stop();
    }
    if (health) {
        health->stop();
    }
    if (server) {
        server->stop();
    }
    if (worker) {
        worker->stop();
    }
    if (*local_amphorae) {
        (*local_amphorae)->set_on_agent_lost({});
        // As Octavia's amphorae outlive a controller restart, local ones keep serving their VIPs;
        // failover or a delete of their load balancer is what stops them.
        spdlog::info(
            "local amphorae keep running (their processes are listed by `openstack "
            "loadbalancer amphora list`, compute_id <local or host>:<pid>:<port>)");
    }
    return 0;
}

}  // namespace octane::service
