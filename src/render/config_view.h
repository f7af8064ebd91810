#pragma once

// The rendered configuration as data: what transform() decides (which sections exist, which options
// apply, in which order) and emit() only spells out. Strings here are raw values; emit() escapes.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace octane::render {

struct PeerView {
    std::string name;  // peer_name(amphora id)
    std::string address;
    int port = 0;
};

struct GlobalView {
    std::string lb_id;
    std::string user;
    std::string group;
    std::string log_target;
    int user_log_facility = 0;
    int administrative_log_facility = 1;
    std::string stats_socket;
    std::string server_state_file;
    long long maxconn = 0;
    bool external_check = false;
    bool insecure_fork_wanted = false;
    bool connection_logging = true;
    std::string peers_section;  // empty = no peers section
    std::vector<PeerView> peers;
};

struct BindView {
    std::string address;
    int port = 0;
    std::string crt_list;  // path, empty = no TLS
    std::string ca_file;   // client CA path (with verify)
    std::string verify;    // none | optional | required
    std::string crl_file;  // only with ca_file
    std::optional<std::string> ciphers;
    std::optional<std::vector<std::string>> tls_versions;  // versions allowed; others get no-*
    std::optional<std::string> alpn;                       // comma-joined
};

enum class AclFetch { kHost, kPath, kPathEnd, kHeader, kCookie, kSslHasCert, kSslVerify, kSslDn };

struct AclView {
    std::string rule_id;
    AclFetch fetch = AclFetch::kPath;
    std::string key;    // header/cookie/DN field name
    std::string match;  // "-m reg" ...; may be empty
    std::string value;  // raw rule value
};

struct PolicyView {
    std::vector<AclView> acls;
    std::vector<std::pair<bool, std::string>> condition;  // (invert, rule id), ANDed
    enum class Action {
        kNone,
        kReject,
        kRedirectUrl,
        kRedirectPrefix,
        kUseBackend
    } action = Action::kNone;
    int redirect_code = 0;  // 0 = no `code`
    std::string target;     // URL, prefix, or backend name
};

struct FrontendView {
    std::string listener_id;
    long long maxconn = 0;
    bool redirect_https = false;
    std::string hsts;  // Strict-Transport-Security value, empty = none
    std::vector<BindView> binds;
    std::string mode;
    std::vector<PolicyView> policies;
    std::string default_backend;  // empty = none
    long long timeout_client = 0;
    long long tcp_inspect_delay = 0;  // 0 = none
    bool prometheus_backend = false;
    std::string log_format;  // raw format, empty = none
};

struct HealthCheckView {
    int timeout_s = 0;
    std::string type;
    std::string http_method;
    std::string url_path;
    std::string http_version;
    std::string domain_name;
    std::vector<std::string> expected_codes;
    std::string ping_wrapper;
};

struct ServerView {
    std::string id;
    std::string address;
    int port = 0;
    int weight = 1;
    bool check = false;
    bool check_ssl = false;
    std::string check_alpn;
    int inter_s = 0;
    int fall = 0;
    int rise = 0;
    std::string check_addr;
    int check_port = 0;
    bool cookie = false;     // `cookie <member id>`
    std::string send_proxy;  // send-proxy | send-proxy-v2 | send-proxy-v2-ssl-cn | empty
    bool backup = false;
    bool disabled = false;
    bool ssl = false;
    std::string crt;
    std::string ca_file;
    std::string crl_file;
    std::string verify;  // required | none | empty
    std::optional<std::string> ciphers;
    std::optional<std::vector<std::string>> tls_versions;
    std::optional<std::string> alpn;
};

enum class Persistence { kNone, kSourceIp, kAppCookie, kHttpCookie };

struct BackendView {
    std::string name;  // <pool_id>:<listener_id>
    std::string mode;
    bool http_reuse = false;
    std::string balance;           // the arguments of `balance`
    std::string balance_key_rule;  // sets what `balance hash` reads; fixed text, empty = none
    Persistence persistence = Persistence::kNone;
    std::string cookie_name;
    std::string stick_size;
    std::string stick_peers;  // peers section name, empty = none
    std::optional<HealthCheckView> health;
    std::vector<std::string> header_directives;  // fixed text, no user data
    long long fullconn = 0;
    long long timeout_connect = 0;
    long long timeout_server = 0;
    std::vector<ServerView> servers;
};

struct ProxyView {
    FrontendView frontend;
    std::vector<BackendView> backends;
};

struct PrometheusView {
    bool enabled = false;
    std::string bind;
    std::string server;
};

struct ConfigView {
    GlobalView global;
    PrometheusView prometheus;
    std::vector<ProxyView> proxies;  // one per rendered listener, in listener order
};

}  // namespace octane::render
