#pragma once

// The parsed haproxy.cfg, close to the text: one struct per section, fields named after the
// keywords. Defaults are copied into each proxy section when it opens (HAProxy semantics), so a
// ProxySection is complete on its own. The translator turns this into the runtime snapshot.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "proxy/balance/algorithm.h"
#include "proxy/io/address.h"

namespace octane::proxy::config {

using Millis = std::chrono::milliseconds;

struct Location {
    std::string file;
    int line = 0;
    std::string str() const { return file + ":" + std::to_string(line); }
};

enum class Mode { kTcp, kHttp };
enum class ProxyProtocol { kNone, kV1, kV2 };
enum class SectionKind { kDefaults, kFrontend, kBackend, kListen };

struct StatsSocket {
    Location loc;
    std::string path;
    unsigned mode = 0;  // 0 = leave the umask's choice
    std::string level = "user";
};

struct GlobalSection {
    int maxconn = 0;  // 0 = not set
    int nbthread = 1;
    bool daemon = false;
    std::string user, group;
    std::vector<StatsSocket> stats_sockets;
    std::vector<std::string> log_targets;
    std::string server_state_file;
    bool external_check = false;
    // After a soft stop began, the connections still open are closed after this long.
    std::optional<Millis> hard_stop_after;
    // `tune.sockmap on|off`: L4 sessions forwarded in the kernel once connected (when it allows:
    // otherwise the engine says why once and copies). On by default since the kernel's queue
    // towards a destination that does not read is bounded (`tune.sockmap.max-queue`).
    bool sockmap = true;
    // `tune.sockmap.max-queue <size>`: bytes a destination may hold for one direction (queued in
    // the kernel, unsent or unacknowledged) before that direction goes back to the copy path.
    uint32_t sockmap_max_queue = 4 << 20;
};

struct PeerLine {
    Location loc;
    std::string name;
    Endpoint endpoint;
};

struct PeersSection {
    Location loc;
    std::string name;
    std::vector<PeerLine> peers;
};

// One `acl <name> <fetch> [flags] <values...>` line, or an anonymous `{ ... }` acl.
struct Acl {
    Location loc;
    std::string name;
    std::vector<std::string> words;  // fetch, flags and patterns as written
};

// `if|unless <term> <term> ...` where a term is [!]name or [!]{ anonymous acl }; terms are ANDed,
// `||` / `or` separate OR groups.
struct CondTerm {
    bool negate = false;
    std::string acl_name;  // empty when anonymous
    std::vector<std::string> anonymous;
};
struct Condition {
    bool present = false;
    bool unless = false;
    std::vector<std::vector<CondTerm>> or_groups;
};

struct UseBackend {
    Location loc;
    std::string backend;
    Condition cond;
};

enum class HttpRequestAction { kDeny, kReject, kSetHeader, kAddHeader, kDelHeader, kUseService };
struct HttpRequestRule {
    Location loc;
    HttpRequestAction action = HttpRequestAction::kDeny;
    std::string name;   // header name or service name
    std::string value;  // header value (log-format)
    int deny_status = 403;
    Condition cond;
};

// A sample expression, `<fetch>[,<converter>...]`, as `balance hash` and `set-var` take it. Only
// what SOURCE_IP_PORT needs (docs/haproxy-dialect.md §3): the fetches `src` and `src_port`, and the
// converter `concat([<prefix>],[<variable>],[<suffix>])`.
enum class SampleFetch { kSrc, kSrcPort };
struct SampleConcat {
    std::string prefix;
    std::string var;  // "txn.<name>", empty = none
    std::string suffix;
};
struct SampleExpr {
    SampleFetch fetch = SampleFetch::kSrc;
    std::vector<SampleConcat> concats;
};

// `tcp-request content set-var(<var>) <expr>` / `http-request set-var(<var>) <expr>`, in a backend,
// without a condition.
struct SetVarRule {
    Location loc;
    bool http = false;  // an http-request rule
    std::string var;    // "txn.<name>"
    SampleExpr expr;
};

// `http-response set-header|add-header|del-header <name> [<value>]`: Octavia renders only HSTS
// (`set-header Strict-Transport-Security "max-age=..."`), so values are literal text and rules
// take no condition.
enum class HttpResponseAction { kSetHeader, kAddHeader, kDelHeader };
struct HttpResponseRule {
    Location loc;
    HttpResponseAction action = HttpResponseAction::kSetHeader;
    std::string name;
    std::string value;
};

enum class RedirectKind { kLocation, kPrefix, kScheme };
struct Redirect {
    Location loc;
    RedirectKind kind = RedirectKind::kLocation;
    int code = 302;
    std::string value;
    Condition cond;
};

struct HttpCheck {
    bool enabled = false;
    std::string method = "OPTIONS";
    std::string uri = "/";
    std::string version = "HTTP/1.0";
    std::string extra;  // what followed the version (Octavia's "\r\nHost: x" trick)
    std::vector<std::pair<std::string, std::string>> send_headers;
    // http-check expect
    bool expect_set = false;
    bool expect_negate = false;
    std::string expect_kind;  // "status", "rstatus", "string", "rstring"
    std::string expect_value;
};

struct CookiePersistence {
    bool enabled = false;
    std::string name;
    bool insert = false, indirect = false, nocache = false, rewrite = false, prefix = false;
};

struct StickTable {
    bool enabled = false;
    std::string type;  // ip, ipv6, string, integer
    int len = 0;
    int size = 0;
    std::string peers;
};

enum class StickKind { kOn, kMatch, kStoreRequest, kStoreResponse };
struct StickRule {
    Location loc;
    StickKind kind = StickKind::kOn;
    std::string fetch;  // "src", "req.cook(X)", "res.cook(X)"
};

// TLS options of a `bind` (termination) or a `server` (origination) line, as written. Turned into
// OpenSSL contexts by proxy/tls/tls_context.h, which also reads the files they name.
enum class TlsVerify { kDefault, kNone, kOptional, kRequired };
struct TlsOptions {
    bool ssl = false;
    std::string crt_list;           // bind: `crt-list <file>`
    std::vector<std::string> crts;  // bind: `crt <pem>` (repeatable); server: the client cert
    std::string ca_file, crl_file;
    TlsVerify verify = TlsVerify::kDefault;
    std::string ciphers, ciphersuites;
    std::string alpn;  // comma-separated as written
    std::string sni;   // server: the sample expression of `sni`
    // Allowed protocol range as the no-* / ssl-min-ver / ssl-max-ver options leave it:
    // 0 = SSLv3, 1 = TLSv1.0, ..., 4 = TLSv1.3.
    unsigned no_versions = 0;  // bit i set = version i refused
    int min_ver = -1, max_ver = -1;
};

struct ServerLine {
    Location loc;
    std::string name;
    Endpoint endpoint;
    int weight = 1;
    bool check = false;
    Millis inter{2000};
    std::optional<Millis> fastinter, downinter;
    int fall = 3;
    int rise = 2;
    std::optional<Endpoint> check_addr;
    int check_port = 0;
    bool backup = false;
    bool disabled = false;
    std::string cookie;
    ProxyProtocol send_proxy = ProxyProtocol::kNone;
    int maxconn = 0;
    TlsOptions tls;
    bool check_ssl = false;  // `check-ssl`: health checks over TLS (implied by `ssl`)
    std::string check_alpn;
};

struct BindLine {
    Location loc;
    Endpoint endpoint;
    int backlog = 0;
    std::string name;
    TlsOptions tls;
};

struct Timeouts {
    std::optional<Millis> client, server, connect, check, http_request, http_keep_alive, queue,
        tunnel, client_fin, server_fin;
};

// A config line kept as words, for compilers that take lines (the L7 rule engine).
struct RawLine {
    Location loc;
    std::vector<std::string> words;
};

struct ProxySection {
    Location loc;
    SectionKind kind = SectionKind::kDefaults;
    std::string name;
    Mode mode = Mode::kTcp;
    int maxconn = 0;
    int fullconn = 0;
    int retries = 3;
    Timeouts timeouts;
    bool redispatch = false;
    bool allbackups = false;
    bool forwardfor = false;
    bool http_keep_alive = true;
    bool http_server_close = false;
    bool splice_request = false, splice_response = false, splice_auto = false;
    bool log = false;  // set by `log global` / `log <target>`, cleared by `no log`
    std::string log_format;
    std::optional<Millis> inspect_delay;
    balance::Algorithm balance = balance::Algorithm::kRoundRobin;
    SampleExpr balance_hash;  // the expression of `balance hash`
    std::vector<SetVarRule> set_vars;
    balance::HashType hash_type = balance::HashType::kMapBased;
    bool load_server_state = false;
    std::string http_reuse;
    HttpCheck httpchk;
    bool external_check = false;   // option external-check
    std::string external_command;  // external-check command <path>
    bool ssl_hello_check = false;  // option ssl-hello-chk
    CookiePersistence cookie;
    StickTable stick_table;
    std::vector<StickRule> stick_rules;
    std::vector<BindLine> binds;
    std::string default_backend;
    Location default_backend_loc;
    std::vector<Acl> acls;
    std::vector<UseBackend> use_backends;
    std::vector<HttpRequestRule> http_request_rules;
    std::vector<HttpResponseRule> http_response_rules;
    std::vector<Redirect> redirects;
    std::vector<ServerLine> servers;
    std::vector<RawLine> l7_lines;  // acl / http-request / redirect / use_backend, in file order

    bool has_frontend() const {
        return kind == SectionKind::kFrontend || kind == SectionKind::kListen;
    }
    bool has_backend() const {
        return kind == SectionKind::kBackend || kind == SectionKind::kListen;
    }
};

struct Config {
    GlobalSection global;
    std::vector<ProxySection> proxies;  // frontends, backends and listens in file order
    std::vector<PeersSection> peers;

    const ProxySection* find_backend(const std::string& name) const {
        for (const auto& p : proxies) {
            if (p.has_backend() && p.name == name) {
                return &p;
            }
        }
        return nullptr;
    }
};

}  // namespace octane::proxy::config
