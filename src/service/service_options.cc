#include "service/service_options.h"

#include <filesystem>

#include <CLI/CLI.hpp>

#include "common/ini_file.h"
#include "common/strings.h"

namespace octane::service {
namespace {

struct Source {
    const std::string* flag;
    const char* section;
    const char* key;
};

Result<int64_t> to_int(const std::string& text, const std::string& what) {
    try {
        size_t used = 0;
        int64_t value = std::stoll(text, &used);
        if (used == text.size()) {
            return value;
        }
    } catch (const std::exception&) {
    }
    return make_error("invalid value for " + what + ": '" + text + "'");
}

bool to_bool(const std::string& text) {
    std::string s = to_lower(text);
    return s == "true" || s == "1" || s == "yes" || s == "on";
}

// [quotas] default_<resource>_quota: -1 (unlimited) .. 2000000000, as Octavia's quota values.
Result<void> read_quota_defaults(const IniFile& ini, model::QuotaDefaults& defaults) {
    for (model::Kind kind : model::kAllKinds) {
        std::string key(model::quota_default_option(kind));
        auto text = ini.get("quotas", key);
        if (!text) {
            continue;
        }
        auto value = to_int(*text, "quotas." + key);
        if (!value) {
            return Unexpected(value.error());
        }
        if (*value < model::kQuotaUnlimited || *value > model::kQuotaMax) {
            return make_error("quotas." + key + " must be -1 (unlimited) .. 2000000000");
        }
        defaults.set(kind, *value);
    }
    return {};
}

}  // namespace

void add_flags(CLI::App& app, RawFlags& raw) {
    app.add_option("--config-file", raw.config_file, "octavia.conf-style configuration file");
    app.add_option("--state-dir", raw.state_dir, "state directory (default ./octane-state)");
    app.add_option("--bind-host", raw.bind_host, "API listen address (api_settings.bind_host)");
    app.add_option("--bind-port", raw.bind_port, "API port, 0 = any (api_settings.bind_port)");
    app.add_option("--api-threads", raw.api_threads, "API server threads");
    app.add_option("--auth-strategy", raw.auth_strategy,
                   "keystone (default) | noauth (api_settings.auth_strategy)");
    app.add_option("--database-connection", raw.database_connection,
                   "database URL, sqlite:///path or postgresql://... (database.connection)");
    app.add_option("--amphora-driver", raw.amphora_driver,
                   "amphora driver: local (default) | noop (controller_worker.amphora_driver)");
    app.add_option("--network-driver", raw.network_driver,
                   "network driver: local (default) | linuxbridge (root) | noop "
                   "(controller_worker.network_driver)");
    app.add_option("--loadbalancer-topology", raw.loadbalancer_topology,
                   "SINGLE (default) | ACTIVE_STANDBY where the flavor does not say "
                   "(controller_worker.loadbalancer_topology)");
    app.add_option("--token-expiration", raw.token_expiration,
                   "built-in identity token lifetime in seconds (token.expiration)");
    app.add_option("--worker-lease-seconds", raw.worker_lease_seconds,
                   "how long a worker's claim on a load balancer lasts");
    app.add_option("--worker-poll-ms", raw.worker_poll_ms, "worker poll interval");
    app.add_option("--worker-threads", raw.worker_threads,
                   "load balancers a worker carries out at once (controller_worker.workers, "
                   "default 4)");
    app.add_option("--metrics-host", raw.metrics_bind_host,
                   "address of the /metrics listener (metrics.bind_host, default 127.0.0.1)");
    app.add_option("--metrics-port", raw.metrics_bind_port,
                   "port of the /metrics listener, 0 = any (metrics.bind_port; default: no "
                   "listener)");
    app.add_option("--health-bind-ip", raw.health_bind_ip,
                   "heartbeat UDP address (health_manager.bind_ip, default 127.0.0.1)");
    app.add_option("--health-bind-port", raw.health_bind_port,
                   "heartbeat UDP port, 0 = any (health_manager.bind_port, default 5555)");
    app.add_option("--heartbeat-key", raw.heartbeat_key,
                   "heartbeat HMAC key (health_manager.heartbeat_key; default: generated into "
                   "<state dir>/heartbeat.key)");
    app.add_option("--heartbeat-timeout", raw.heartbeat_timeout,
                   "seconds of silence before an amphora is failed over "
                   "(health_manager.heartbeat_timeout, default 60)");
    app.add_option(
        "--heartbeat-interval", raw.heartbeat_interval,
        "seconds between heartbeats of local amphorae (health_manager.heartbeat_interval, "
        "default 10)");
    app.add_option("--health-check-interval", raw.health_check_interval,
                   "seconds between stale-amphora checks (health_manager.health_check_interval, "
                   "default 3)");
    app.add_option("--health-max-datagram", raw.health_max_datagram,
                   "largest heartbeat datagram accepted, bytes (health_manager.max_datagram_size, "
                   "default 65536)");
    app.add_option("--pagination-max-limit", raw.pagination_max_limit,
                   "largest page (api_settings.pagination_max_limit)");
    app.add_option("--max-request-body-size", raw.max_request_body_size,
                   "request body limit in bytes (oslo_middleware.max_request_body_size)");
    app.add_option("--api-base-uri", raw.api_base_uri, "base URI for links");
    app.add_option("--log-file", raw.log_file, "log file (default stderr)");
    app.add_flag("--debug", raw.debug, "debug logging");
}

namespace {

// [linuxbridge] hosts, vni_ranges (first:last), underlay_cidr, lb_mgmt_cidr, vxlan_port,
// attach_root_to_provider; [nova] enable_anti_affinity, anti_affinity_policy.
Result<void> read_linuxbridge_settings(const IniFile& ini, linuxbridge::LinuxbridgeSettings& s) {
    const char* section = "linuxbridge";
    if (auto hosts = ini.get(section, "hosts")) {
        auto value = to_int(*hosts, "linuxbridge.hosts");
        if (!value || *value < 2 || *value > 16) {
            return make_error("linuxbridge.hosts must be 2..16");
        }
        s.hosts = static_cast<int>(*value);
    }
    if (auto range = ini.get(section, "vni_ranges")) {
        auto colon = range->find(':');
        auto first = to_int(range->substr(0, colon), "linuxbridge.vni_ranges");
        auto last = colon == std::string::npos
                        ? first
                        : to_int(range->substr(colon + 1), "linuxbridge.vni_ranges");
        if (!first || !last || *first < 1 || *last < *first || *last > 16777215) {
            return make_error("linuxbridge.vni_ranges must be first:last within 1:16777215");
        }
        s.vni_range = {static_cast<uint32_t>(*first), static_cast<uint32_t>(*last)};
    }
    if (auto port = ini.get(section, "vxlan_port")) {
        auto value = to_int(*port, "linuxbridge.vxlan_port");
        if (!value || *value < 1 || *value > 65535) {
            return make_error("linuxbridge.vxlan_port must be 1..65535");
        }
        s.vxlan_port = static_cast<uint16_t>(*value);
    }
    s.underlay_cidr = ini.get(section, "underlay_cidr").value_or(s.underlay_cidr);
    s.lb_mgmt_cidr = ini.get(section, "lb_mgmt_cidr").value_or(s.lb_mgmt_cidr);
    s.attach_root_to_provider =
        to_bool(ini.get(section, "attach_root_to_provider").value_or("false"));
    // Octavia's compute options, applied to the simulated hosts.
    std::string policy = ini.get("nova", "anti_affinity_policy").value_or("anti-affinity");
    if (policy != "anti-affinity" && policy != "soft-anti-affinity") {
        return make_error(
            "nova.anti_affinity_policy must be anti-affinity or soft-anti-affinity, "
            "not '" +
            policy + "'");
    }
    if (!to_bool(ini.get("nova", "enable_anti_affinity").value_or("true"))) {
        s.anti_affinity = linuxbridge::AntiAffinity::kOff;
    } else {
        s.anti_affinity = policy == "anti-affinity" ? linuxbridge::AntiAffinity::kHard
                                                    : linuxbridge::AntiAffinity::kSoft;
    }
    return {};
}

}  // namespace

Result<ServiceOptions> resolve(const RawFlags& raw) {
    IniFile ini;
    if (!raw.config_file.empty()) {
        auto loaded = IniFile::load(raw.config_file);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        ini = std::move(*loaded);
    }
    auto pick = [&](const std::string& flag, const char* section, const char* key,
                    const std::string& fallback) -> std::string {
        if (!flag.empty()) {
            return flag;
        }
        return ini.get(section, key).value_or(fallback);
    };
    ServiceOptions o;
    o.config_file = raw.config_file;
    o.state_dir = pick(raw.state_dir, "DEFAULT", "state_path", o.state_dir);
    o.bind_host = pick(raw.bind_host, "api_settings", "bind_host", o.bind_host);
    o.auth_strategy = pick(raw.auth_strategy, "api_settings", "auth_strategy", o.auth_strategy);
    o.database_connection = pick(raw.database_connection, "database", "connection", "");
    o.amphora_driver =
        pick(raw.amphora_driver, "controller_worker", "amphora_driver", o.amphora_driver);
    o.network_driver =
        pick(raw.network_driver, "controller_worker", "network_driver", o.network_driver);
    o.loadbalancer_topology = pick(raw.loadbalancer_topology, "controller_worker",
                                   "loadbalancer_topology", o.loadbalancer_topology);
    o.api_base_uri = pick(raw.api_base_uri, "api_settings", "api_base_uri", "");
    o.health_bind_ip = pick(raw.health_bind_ip, "health_manager", "bind_ip", o.health_bind_ip);
    o.metrics_bind_host = pick(raw.metrics_bind_host, "metrics", "bind_host", o.metrics_bind_host);
    o.heartbeat_key = pick(raw.heartbeat_key, "health_manager", "heartbeat_key", "");
    struct TextOption {
        std::string* target;
        const char* section;
        const char* key;
    };
    TextOption texts[] = {
        {&o.keystone_www_authenticate_uri, "keystone_authtoken", "www_authenticate_uri"},
        {&o.keystone_auth_url, "keystone_authtoken", "auth_url"},
        {&o.keystone_username, "keystone_authtoken", "username"},
        {&o.keystone_password, "keystone_authtoken", "password"},
        {&o.keystone_project_name, "keystone_authtoken", "project_name"},
        {&o.keystone_user_domain_name, "keystone_authtoken", "user_domain_name"},
        {&o.keystone_project_domain_name, "keystone_authtoken", "project_domain_name"},
        {&o.keystone_ca_file, "keystone_authtoken", "cafile"},
        {&o.keystone_cert_file, "keystone_authtoken", "certfile"},
        {&o.keystone_key_file, "keystone_authtoken", "keyfile"},
        {&o.selfservice_cidr, "networking", "selfservice_cidr"},
        {&o.provider_cidr, "networking", "provider_cidr"},
    };
    for (auto& text : texts) {
        *text.target = ini.get(text.section, text.key).value_or(*text.target);
    }
    o.log_file = pick(raw.log_file, "DEFAULT", "log_file", "");
    o.debug = raw.debug || to_bool(ini.get("DEFAULT", "debug").value_or("false"));
    o.healthcheck_enabled =
        to_bool(ini.get("api_settings", "healthcheck_enabled").value_or("false"));
    o.keystone_insecure = to_bool(ini.get("keystone_authtoken", "insecure").value_or("false"));
    o.enforce_new_defaults =
        to_bool(ini.get("oslo_policy", "enforce_new_defaults").value_or("true"));
    o.enforce_scope = to_bool(ini.get("oslo_policy", "enforce_scope").value_or("true"));
    struct IntOption {
        const std::string& flag;
        const char* section;
        const char* key;
        int64_t* target;
    };
    static const std::string kNoFlag;
    int64_t port = o.bind_port, threads = o.api_threads;
    IntOption ints[] = {
        {raw.bind_port, "api_settings", "bind_port", &port},
        {raw.api_threads, "api_settings", "api_threads", &threads},
        {raw.worker_lease_seconds, "controller_worker", "lease_seconds", &o.worker_lease_seconds},
        {raw.worker_poll_ms, "controller_worker", "poll_interval_ms", &o.worker_poll_ms},
        {raw.worker_threads, "controller_worker", "workers", &o.worker_threads},
        {raw.health_bind_port, "health_manager", "bind_port", &o.health_bind_port},
        {raw.metrics_bind_port, "metrics", "bind_port", &o.metrics_bind_port},
        {raw.heartbeat_timeout, "health_manager", "heartbeat_timeout", &o.heartbeat_timeout},
        {raw.heartbeat_interval, "health_manager", "heartbeat_interval", &o.heartbeat_interval},
        {raw.health_check_interval, "health_manager", "health_check_interval",
         &o.health_check_interval},
        {raw.health_max_datagram, "health_manager", "max_datagram_size", &o.health_max_datagram},
        {raw.pagination_max_limit, "api_settings", "pagination_max_limit", &o.pagination_max_limit},
        {raw.max_request_body_size, "oslo_middleware", "max_request_body_size",
         &o.max_request_body_size},
        {raw.token_expiration, "token", "expiration", &o.token_expiration},
        {kNoFlag, "keystone_authtoken", "token_cache_time", &o.keystone_cache_seconds},
        {kNoFlag, "keystone_authtoken", "invalid_token_cache_time",
         &o.keystone_invalid_cache_seconds},
        {kNoFlag, "keystone_authtoken", "failed_validations_per_second",
         &o.keystone_failed_validations},
        {kNoFlag, "keystone_authtoken", "http_connect_timeout", &o.keystone_timeout_seconds},
        {kNoFlag, "api_settings", "max_connections", &o.max_connections},
        {kNoFlag, "database", "max_pool_size", &o.database_max_pool_size},
        {kNoFlag, "api_settings", "max_connections_per_client", &o.max_connections_per_client},
        {kNoFlag, "api_settings", "header_timeout", &o.header_timeout},
        {kNoFlag, "api_settings", "keepalive_timeout", &o.keepalive_timeout},
        {kNoFlag, "keepalived_vrrp", "vrrp_advert_int", &o.vrrp_advert_int},
        {kNoFlag, "keepalived_vrrp", "vrrp_check_interval", &o.vrrp_check_interval},
        {kNoFlag, "keepalived_vrrp", "vrrp_fail_count", &o.vrrp_fail_count},
        {kNoFlag, "keepalived_vrrp", "vrrp_success_count", &o.vrrp_success_count},
        {kNoFlag, "keepalived_vrrp", "vrrp_garp_refresh_interval", &o.vrrp_garp_refresh_interval},
        {kNoFlag, "keepalived_vrrp", "vrrp_garp_refresh_count", &o.vrrp_garp_refresh_count},
    };
    for (auto& option : ints) {
        auto text = pick(option.flag, option.section, option.key, "");
        if (text.empty()) {
            continue;
        }
        auto value = to_int(text, std::string(option.section) + "." + option.key);
        if (!value) {
            return Unexpected(value.error());
        }
        *option.target = *value;
    }
    if (auto quotas = read_quota_defaults(ini, o.quota_defaults); !quotas) {
        return Unexpected(quotas.error());
    }
    if (port < 0 || port > 65535) {
        return make_error("bind_port must be 0..65535");
    }
    o.bind_port = static_cast<int>(port);
    o.api_threads = static_cast<int>(std::max<int64_t>(1, threads));
    if (o.auth_strategy != "noauth" && o.auth_strategy != "keystone") {
        return make_error("auth_strategy '" + o.auth_strategy +
                          "' is not supported (supported: keystone, noauth)");
    }
    if (o.amphora_driver != "noop" && o.amphora_driver != "amphora_noop_driver" &&
        o.amphora_driver != "local") {
        return make_error("amphora driver '" + o.amphora_driver +
                          "' is not supported (supported: noop, local)");
    }
    if (o.network_driver == "network_noop_driver") {
        o.network_driver = "noop";
    }
    if (o.network_driver != "noop" && o.network_driver != "local" &&
        o.network_driver != "linuxbridge") {
        return make_error("network driver '" + o.network_driver +
                          "' is not supported (supported: local, linuxbridge, noop)");
    }
    const bool linuxbridge = o.network_driver == "linuxbridge";
    if (o.loadbalancer_topology != "SINGLE" && o.loadbalancer_topology != "ACTIVE_STANDBY") {
        return make_error("[controller_worker] loadbalancer_topology '" + o.loadbalancer_topology +
                          "' is not SINGLE or ACTIVE_STANDBY");
    }
    if (o.selfservice_cidr.empty()) {
        o.selfservice_cidr = linuxbridge ? "192.168.101.0/24" : "127.10.0.0/16";
    }
    if (o.provider_cidr.empty()) {
        o.provider_cidr = linuxbridge ? "172.16.0.0/24" : "127.20.0.0/16";
    }
    if (auto read = read_linuxbridge_settings(ini, o.linuxbridge); !read) {
        return Unexpected(read.error());
    }
    if (o.token_expiration < 1 || o.keystone_cache_seconds < 0) {
        return make_error("token expiration must be positive");
    }
    if (o.keystone_invalid_cache_seconds < 0 || o.keystone_failed_validations < 0) {
        return make_error(
            "keystone_authtoken: invalid_token_cache_time and failed_validations_per_second must "
            "not be negative");
    }
    if (o.keystone_timeout_seconds < 1 || o.keystone_timeout_seconds > 600) {
        return make_error("[keystone_authtoken] http_connect_timeout must be 1..600 seconds");
    }
    if (o.worker_lease_seconds < 1 || o.worker_poll_ms < 1 || o.pagination_max_limit < 1 ||
        o.worker_threads < 1 || o.worker_threads > 64) {
        return make_error("lease, poll interval and page limit must be positive, workers 1..64");
    }
    if (o.database_max_pool_size < 1 || o.database_max_pool_size > 100) {
        return make_error("database.max_pool_size must be 1..100");
    }
    for (int64_t v :
         {o.vrrp_advert_int, o.vrrp_check_interval, o.vrrp_fail_count, o.vrrp_success_count,
          o.vrrp_garp_refresh_interval, o.vrrp_garp_refresh_count}) {
        // Whole seconds: VRRPv2 with PASS authentication, as Octavia renders it, has no fractions.
        if (v < 1 || v > 255) {
            return make_error("keepalived_vrrp: every vrrp_* option must be 1..255");
        }
    }
    if (o.max_connections < 1 || o.max_connections_per_client < 1 || o.header_timeout < 1 ||
        o.keepalive_timeout < 1) {
        return make_error(
            "api_settings: max_connections, max_connections_per_client, header_timeout and "
            "keepalive_timeout must be at least 1");
    }
    if (o.metrics_bind_port < -1 || o.metrics_bind_port > 65535) {
        return make_error("metrics.bind_port must be 0..65535 (or unset: no /metrics listener)");
    }
    if (o.health_bind_port < 0 || o.health_bind_port > 65535) {
        return make_error("health_manager.bind_port must be 0..65535");
    }
    if (o.heartbeat_timeout < 1 || o.health_check_interval < 1 || o.heartbeat_interval < 1 ||
        o.health_max_datagram < 64) {
        return make_error(
            "health_manager: heartbeat_timeout, heartbeat_interval and health_check_interval must "
            "be at least 1 s, "
            "max_datagram_size at least 64 bytes");
    }
    return o;
}

void add_store_flags(CLI::App& app, RawFlags& flags) {
    app.add_option("--config-file", flags.config_file, "octavia.conf-style configuration file");
    app.add_option("--state-dir", flags.state_dir, "state directory (default ./octane-state)");
    app.add_option("--database-connection", flags.database_connection,
                   "database URL, sqlite:///path or postgresql://...");
}

Result<std::unique_ptr<db::Database>> open_existing_database(const ServiceOptions& options) {
    auto url = database_url(options);
    if (!url) {
        return Unexpected(url.error());
    }
    if (url->engine == db::Engine::kSqlite && !std::filesystem::exists(url->target)) {
        return make_error("no database at " + url->target + " (start `octane serve` first)");
    }
    return db::open_database(*url);
}

Result<db::ConnectionUrl> database_url(const ServiceOptions& options) {
    if (options.database_connection.empty()) {
        return db::ConnectionUrl{db::Engine::kSqlite, options.state_dir + "/octane.db"};
    }
    auto url = db::parse_connection_url(options.database_connection);
    if (url) {
        url->max_pool_size = static_cast<size_t>(options.database_max_pool_size);
    }
    return url;
}

}  // namespace octane::service
