#pragma once

// Options of the daemons, from an octavia.conf-style file and command-line flags (a flag wins).

#include <memory>
#include <string>

#include "common/result.h"
#include "db/open_database.h"
#include "linuxbridge/settings.h"
#include "model/quota.h"

namespace CLI {
class App;
}

namespace octane::service {

struct ServiceOptions {
    std::string config_file;
    std::string state_dir = "./octane-state";
    std::string bind_host = "127.0.0.1";
    int bind_port = 9876;
    int api_threads = 2;
    // keystone (built-in identity, or an external one when [keystone_authtoken] auth_url is set)
    // | noauth
    std::string auth_strategy = "keystone";
    std::string database_connection;     // empty = sqlite:///<state_dir>/octane.db
    int64_t database_max_pool_size = 1;  // [database] max_pool_size: see postgres_database.h
    // local: an amphora is an `octane agent` process running octane-proxy on this host | noop
    std::string amphora_driver = "local";
    // local (built-in Neutron subset, IPAM, loopback VIPs) | linuxbridge (the same made real with
    // namespaces, bridges, VXLAN and nftables; root) | noop
    std::string network_driver = "local";
    // [controller_worker] loadbalancer_topology: SINGLE | ACTIVE_STANDBY, for load balancers whose
    // flavor does not say (ACTIVE_STANDBY needs the linuxbridge network driver)
    std::string loadbalancer_topology = "SINGLE";
    linuxbridge::LinuxbridgeSettings linuxbridge;  // [linuxbridge]
    int64_t token_expiration = 3600;               // [token] expiration, seconds
    // [keystone_authtoken]: an external Keystone validates tokens when auth_url is set.
    std::string keystone_www_authenticate_uri, keystone_auth_url, keystone_username,
        keystone_password, keystone_project_name, keystone_user_domain_name,
        keystone_project_domain_name;
    // https auth_url: cafile, certfile, keyfile, insecure
    std::string keystone_ca_file, keystone_cert_file, keystone_key_file;
    bool keystone_insecure = false;
    int64_t keystone_cache_seconds = 300;         // [keystone_authtoken] token_cache_time
    int64_t keystone_invalid_cache_seconds = 30;  // invalid_token_cache_time (Octane's own)
    int64_t keystone_failed_validations = 10;     // failed_validations_per_second, 0 = no limit
    int64_t keystone_timeout_seconds = 30;        // [keystone_authtoken] http_connect_timeout
    // [oslo_policy]: Keystone's default roles with scope (both true, as oslo.policy 4.4), or
    // Octavia's advanced RBAC (enforce_new_defaults = false).
    bool enforce_new_defaults = true;
    bool enforce_scope = true;
    // [networking] CIDRs of the networks created on first start: loopback ranges with the local
    // driver (127.10.0.0/16, 127.20.0.0/16), the seed's with linuxbridge (192.168.101.0/24,
    // 172.16.0.0/24).
    std::string selfservice_cidr;
    std::string provider_cidr;
    int64_t worker_lease_seconds = 30;
    int64_t worker_poll_ms = 200;
    int64_t worker_threads = 4;  // [controller_worker] workers: load balancers handled at once
    // [keepalived_vrrp] (Octavia's names and defaults; render/keepalived_config.h), seconds/counts.
    int64_t vrrp_advert_int = 1;
    int64_t vrrp_check_interval = 5;
    int64_t vrrp_fail_count = 2;
    int64_t vrrp_success_count = 2;
    int64_t vrrp_garp_refresh_interval = 5;
    int64_t vrrp_garp_refresh_count = 2;
    // [health_manager] (controller/health/health_manager.h). Port 0 = any, written to
    // <state_dir>/health.port; an empty key = <state_dir>/heartbeat.key, generated on first start;
    // timeout and interval in seconds; larger datagrams than max_datagram are dropped.
    // [metrics]: GET /metrics (Prometheus text) on its own listener, off unless a port is given
    // (-1); 0 = any free port, written to <state_dir>/metrics.port.
    std::string metrics_bind_host = "127.0.0.1";
    int64_t metrics_bind_port = -1;
    std::string health_bind_ip;  // "" = 127.0.0.1, or o-hm0's address with linuxbridge
    int64_t health_bind_port = 5555;
    std::string heartbeat_key;
    int64_t heartbeat_timeout = 60;
    // How often local amphorae send a heartbeat, seconds. Octavia's 10: the controller watches
    // its local agents directly (pidfd), so heartbeats are only the backstop next to
    // heartbeat_timeout (60); at 1 s, 100 idle amphorae cost more than the 3 % of a core budget.
    int64_t heartbeat_interval = 10;
    int64_t health_check_interval = 3;
    int64_t health_max_datagram = 65536;
    int64_t pagination_max_limit = 1000;
    model::QuotaDefaults quota_defaults;  // [quotas] default_<resource>_quota, -1 = unlimited
    int64_t max_request_body_size = 114688;
    // [api_settings] connection limits and deadlines of the HTTP server (http_server.h), seconds.
    int64_t max_connections = 1000;
    int64_t max_connections_per_client = 100;
    int64_t header_timeout = 10;
    int64_t keepalive_timeout = 60;
    std::string api_base_uri;
    bool healthcheck_enabled = false;
    std::string log_file;
    bool debug = false;
};

// Registers the flags on app; values land in raw (strings) until resolve().
struct RawFlags;
void add_flags(CLI::App& app, RawFlags& raw);

struct RawFlags {
    std::string config_file, state_dir, bind_host, bind_port, api_threads, auth_strategy,
        database_connection, amphora_driver, network_driver, loadbalancer_topology,
        worker_lease_seconds, worker_poll_ms, worker_threads, pagination_max_limit,
        max_request_body_size, api_base_uri, log_file, token_expiration;
    std::string health_bind_ip, health_bind_port, heartbeat_key, heartbeat_timeout,
        health_check_interval, health_max_datagram, heartbeat_interval;
    std::string metrics_bind_host, metrics_bind_port;
    bool debug = false;
};

// Reads the config file (if any), applies flags over it, validates values.
Result<ServiceOptions> resolve(const RawFlags& raw);

// The engine and target of the connection URL: "sqlite:///rel/path", "sqlite:////abs/path",
// "postgresql://user@host/db" or "postgresql:///db?host=/socket/dir"; none means the state
// directory's octane.db.
Result<db::ConnectionUrl> database_url(const ServiceOptions& options);

// --config-file, --state-dir, --database-connection: what the commands that work straight on the
// database (identity, host, host-agent) take.
void add_store_flags(CLI::App& app, RawFlags& flags);

// The database a running `octane serve` made for these options; an error naming the missing
// SQLite file rather than creating an empty one.
Result<std::unique_ptr<db::Database>> open_existing_database(const ServiceOptions& options);

}  // namespace octane::service
