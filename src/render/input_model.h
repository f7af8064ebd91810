#pragma once

// The renderer's input: a load balancer graph as the Octavia v2 API shows its objects (field names
// and defaults verbatim), parsed from JSON by parse_load_balancer(). Plain data, no behaviour.
// Pools are listed once at load balancer level and referenced by id from listeners and policies.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace octane::render {

struct MemberInput {
    std::string id;
    std::string address;
    int protocol_port = 0;
    int weight = 1;
    bool backup = false;
    bool admin_state_up = true;
    std::string monitor_address;  // empty = unset
    int monitor_port = 0;         // 0 = unset
    std::string provisioning_status = "ACTIVE";
};

struct HealthMonitorInput {
    std::string id;
    std::string type;  // HTTP, HTTPS, PING, TCP, TLS-HELLO, UDP-CONNECT, SCTP
    int delay = 0;
    int timeout = 0;
    int max_retries = 0;       // haproxy rise
    int max_retries_down = 3;  // haproxy fall
    std::string http_method;
    std::string url_path;
    std::string expected_codes;
    std::string http_version;  // "", "1.0" or "1.1"
    std::string domain_name;
    bool admin_state_up = true;
    std::string provisioning_status = "ACTIVE";
};

struct SessionPersistenceInput {
    std::string type;  // SOURCE_IP, HTTP_COOKIE, APP_COOKIE
    std::string cookie_name;
    int persistence_timeout = 0;          // UDP/SCTP pools; 0 = unset
    std::string persistence_granularity;  // UDP/SCTP pools; "" = unset
};

struct PoolInput {
    std::string id;
    std::string protocol;      // TCP, HTTP, HTTPS, PROXY, PROXYV2, UDP, SCTP
    std::string lb_algorithm;  // ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP, SOURCE_IP_PORT
    bool admin_state_up = true;
    std::string provisioning_status = "ACTIVE";
    std::optional<SessionPersistenceInput> session_persistence;
    bool tls_enabled = false;
    std::string tls_container_ref;
    std::string ca_tls_container_ref;
    std::string crl_container_ref;
    std::optional<std::string> tls_ciphers;
    std::optional<std::vector<std::string>> tls_versions;
    std::optional<std::vector<std::string>> alpn_protocols;
    std::optional<HealthMonitorInput> healthmonitor;
    std::vector<MemberInput> members;
};

struct L7RuleInput {
    std::string id;
    std::string type;          // HOST_NAME, PATH, FILE_TYPE, HEADER, COOKIE, SSL_*
    std::string compare_type;  // REGEX, STARTS_WITH, ENDS_WITH, CONTAINS, EQUAL_TO
    std::string key;
    std::string value;
    bool invert = false;
    bool admin_state_up = true;
    std::string provisioning_status = "ACTIVE";
};

struct L7PolicyInput {
    std::string id;
    std::string action;  // REJECT, REDIRECT_TO_URL, REDIRECT_TO_POOL, REDIRECT_PREFIX
    long long position = 2147483647;
    std::string redirect_pool_id;
    std::string redirect_url;
    std::string redirect_prefix;
    int redirect_http_code = 0;  // 0 = unset
    bool admin_state_up = true;
    std::string provisioning_status = "ACTIVE";
    std::vector<L7RuleInput> rules;
};

struct ListenerInput {
    std::string id;
    std::string protocol;  // TCP, HTTP, HTTPS, TERMINATED_HTTPS, UDP, SCTP, PROMETHEUS
    int protocol_port = 0;
    long long connection_limit = -1;
    bool admin_state_up = true;
    std::string provisioning_status = "ACTIVE";
    long long timeout_client_data = 50000;
    long long timeout_member_connect = 5000;
    long long timeout_member_data = 50000;
    long long timeout_tcp_inspect = 0;
    std::map<std::string, std::string> insert_headers;
    std::string default_pool_id;
    std::string default_tls_container_ref;
    std::string client_ca_tls_container_ref;
    std::string client_authentication = "NONE";
    std::string client_crl_container_ref;
    std::optional<std::string> tls_ciphers;
    std::optional<std::vector<std::string>> tls_versions;
    std::optional<std::vector<std::string>> alpn_protocols;
    std::optional<long long> hsts_max_age;
    bool hsts_include_subdomains = false;
    bool hsts_preload = false;
    std::vector<L7PolicyInput> l7policies;
};

struct LoadBalancerInput {
    std::string id;
    std::string project_id;
    bool admin_state_up = true;
    std::string provisioning_status = "ACTIVE";
    std::string vip_address;
    std::vector<std::string> additional_vips;  // ip_address of each additional VIP
    std::vector<ListenerInput> listeners;
    std::vector<PoolInput> pools;
};

}  // namespace octane::render
