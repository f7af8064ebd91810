// Pool x listener -> BackendView (docs/haproxy-dialect.md §3): mode, balance, persistence, health
// check, header insertion and one server per member.

#include "common/strings.h"
#include "render/expected_codes.h"
#include "render/transform_env.h"

namespace octane::render {
namespace {

constexpr long long kDefaultMemberConnect = 5000;
constexpr long long kDefaultMemberData = 50000;

std::string pool_protocol_mode(const std::string& protocol) {
    if (protocol == "TCP" || protocol == "HTTPS") {
        return "tcp";
    }
    if (protocol == "HTTP") {
        return "http";
    }
    if (protocol == "PROXY" || protocol == "PROXYV2") {
        return "proxy";
    }
    return "";
}

std::string balance(const std::string& algorithm) {
    if (algorithm == "LEAST_CONNECTIONS") {
        return "leastconn";
    }
    if (algorithm == "SOURCE_IP") {
        return "source";
    }
    if (algorithm == "SOURCE_IP_PORT") {
        // HAProxy 2.6 has no source-and-port algorithm; a hash of "<address>:<port>" is one. The
        // port reaches the expression through a variable because concat() takes only variables.
        return "hash src,concat(:,txn.src_port)";
    }
    return "roundrobin";
}

// The rule that sets the variable the SOURCE_IP_PORT hash reads, in the backend's own mode.
std::string balance_key_rule(const std::string& algorithm, const std::string& mode) {
    if (algorithm != "SOURCE_IP_PORT") {
        return "";
    }
    return std::string(mode == "http" ? "http-request" : "tcp-request content") +
           " set-var(txn.src_port) src_port";
}

bool header_on(const ListenerInput& listener, const std::string& name) {
    auto it = listener.insert_headers.find(name);
    return it != listener.insert_headers.end() && to_lower(it->second) == "true";
}

std::vector<std::string> header_directives(const ListenerInput& listener, bool http_pool) {
    std::vector<std::string> out;
    if (http_pool && header_on(listener, "X-Forwarded-For")) {
        out.emplace_back("option forwardfor");
    }
    if (http_pool && header_on(listener, "X-Forwarded-Port")) {
        out.emplace_back("http-request set-header X-Forwarded-Port %[dst_port]");
    }
    if (header_on(listener, "X-Forwarded-Proto")) {
        if (listener.protocol == "HTTP") {
            out.emplace_back("http-request set-header X-Forwarded-Proto http");
        } else if (listener.protocol == "TERMINATED_HTTPS") {
            out.emplace_back("http-request set-header X-Forwarded-Proto https");
        }
    }
    if (listener.protocol != "TERMINATED_HTTPS") {
        return out;
    }
    static const std::pair<const char*, const char*> kClientCert[] = {
        {"X-SSL-Client-Verify", "%[ssl_c_verify]"},
        {"X-SSL-Client-Has-Cert", "%[ssl_c_used]"},
        {"X-SSL-Client-DN", "%{+Q}[ssl_c_s_dn]"},
        {"X-SSL-Client-CN", "%{+Q}[ssl_c_s_dn(cn)]"},
        {"X-SSL-Issuer", "%{+Q}[ssl_c_i_dn]"},
        {"X-SSL-Client-SHA1", "%{+Q}[ssl_c_sha1,hex]"},
        {"X-SSL-Client-Not-Before", "%{+Q}[ssl_c_notbefore]"},
        {"X-SSL-Client-Not-After", "%{+Q}[ssl_c_notafter]"},
    };
    for (const auto& [name, fetch] : kClientCert) {
        if (header_on(listener, name)) {
            out.push_back(std::string("http-request set-header ") + name + " " + fetch);
        }
    }
    return out;
}

const HealthMonitorInput* active_monitor(const PoolInput& pool) {
    if (!pool.healthmonitor || is_pending_delete(pool.healthmonitor->provisioning_status) ||
        !pool.healthmonitor->admin_state_up) {
        return nullptr;
    }
    return &*pool.healthmonitor;
}

HealthCheckView health_check(const HealthMonitorInput& hm, const TransformEnv& env) {
    HealthCheckView h;
    h.timeout_s = hm.timeout;
    h.type = hm.type;
    if (hm.type == "HTTP" || hm.type == "HTTPS") {
        h.http_method = env.word(hm.http_method, "healthmonitor.http_method");
        h.url_path = env.word(hm.url_path, "healthmonitor.url_path");
        h.http_version = hm.http_version;
        if (!hm.domain_name.empty()) {
            h.domain_name = env.word(hm.domain_name, "healthmonitor.domain_name");
        }
        auto codes = expand_expected_codes(hm.expected_codes);
        if (codes) {
            h.expected_codes = std::move(*codes);
        } else {
            env.errors->push_back("healthmonitor " + hm.id + ": " + codes.error().message);
        }
    }
    h.ping_wrapper = env.ctx.base_dir + "/ping-wrapper.sh";
    return h;
}

void server_check(ServerView& s, const MemberInput& m, const HealthMonitorInput& hm,
                  const std::optional<std::string>& pool_alpn, const TransformEnv& env) {
    s.check = true;
    s.check_ssl = hm.type == "HTTPS";
    s.check_alpn = pool_alpn.value_or("");
    s.inter_s = hm.delay;
    s.fall = hm.max_retries_down;
    s.rise = hm.max_retries;
    if (!m.monitor_address.empty()) {
        s.check_addr = env.word(m.monitor_address, "member.monitor_address");
    }
    s.check_port = m.monitor_port;
}

void server_tls(ServerView& s, const PoolInput& pool, const std::optional<std::string>& alpn,
                const TransformEnv& env) {
    s.ssl = true;
    if (!pool.tls_container_ref.empty()) {
        s.crt = env.secret_path(pool.tls_container_ref, "pool.tls_container_ref");
    }
    if (!pool.ca_tls_container_ref.empty()) {
        // Octavia's quirk kept: a CA without a CRL renders no `verify` at all.
        s.ca_file = env.secret_path(pool.ca_tls_container_ref, "pool.ca_tls_container_ref");
        if (!pool.crl_container_ref.empty()) {
            s.crl_file = env.secret_path(pool.crl_container_ref, "pool.crl_container_ref");
            s.verify = "required";
        }
    } else {
        s.verify = "none";
    }
    if (pool.tls_ciphers) {
        s.ciphers = env.word(*pool.tls_ciphers, "pool.tls_ciphers");
    }
    s.tls_versions = pool.tls_versions;
    s.alpn = alpn;
}

std::optional<std::string> pool_alpn(const PoolInput& pool, const TransformEnv& env) {
    if (!pool.tls_enabled || !pool.alpn_protocols || !env.pool_alpn) {
        return std::nullopt;
    }
    std::string joined;
    for (const std::string& p : *pool.alpn_protocols) {
        joined += (joined.empty() ? "" : ",") + p;
    }
    return env.word(joined, "pool.alpn_protocols");
}

ServerView server(const MemberInput& m, const PoolInput& pool, const ListenerInput& listener,
                  const TransformEnv& env) {
    ServerView s;
    s.id = env.word(m.id, "member.id");
    s.address = env.word(m.address, "member.address");
    s.port = m.protocol_port;
    s.weight = m.weight;
    std::optional<std::string> alpn = pool_alpn(pool, env);
    if (const HealthMonitorInput* hm = active_monitor(pool)) {
        server_check(s, m, *hm, alpn, env);
    }
    s.cookie = pool.session_persistence && pool.session_persistence->type == "HTTP_COOKIE";
    if (pool.protocol == "PROXY") {
        s.send_proxy = "send-proxy";
    } else if (pool.protocol == "PROXYV2") {
        s.send_proxy = listener_tls_enabled(listener) ? "send-proxy-v2-ssl-cn" : "send-proxy-v2";
    }
    s.backup = m.backup;
    s.disabled = !m.admin_state_up;
    if (pool.tls_enabled) {
        server_tls(s, pool, alpn, env);
    }
    return s;
}

void persistence(BackendView& b, const PoolInput& pool, const TransformEnv& env) {
    if (!pool.session_persistence) {
        return;
    }
    const std::string& type = pool.session_persistence->type;
    if (type == "SOURCE_IP") {
        b.persistence = Persistence::kSourceIp;
    } else if (type == "APP_COOKIE") {
        b.persistence = Persistence::kAppCookie;
        b.cookie_name = env.word(pool.session_persistence->cookie_name, "cookie_name");
    } else if (type == "HTTP_COOKIE") {
        b.persistence = Persistence::kHttpCookie;
    }
    b.stick_size = env.ctx.stick_size;
    b.stick_peers = env.peers_name;
}

}  // namespace

BackendView transform_backend(const ListenerInput& listener, const PoolInput& pool,
                              const TransformEnv& env) {
    BackendView b;
    b.name = env.word(pool.id, "pool.id") + ":" + listener.id;
    std::string pool_mode = pool_protocol_mode(pool.protocol);
    if (pool_mode.empty()) {
        env.errors->push_back("pool " + pool.id + ": unsupported protocol " + pool.protocol);
    }
    std::string mode = listener_mode(listener.protocol);
    b.mode = pool_mode == "proxy" ? mode : pool_mode;
    b.http_reuse =
        env.http_reuse && (pool_mode == "http" || (pool_mode == "proxy" && mode == "http"));
    b.balance = balance(pool.lb_algorithm);
    b.balance_key_rule = balance_key_rule(pool.lb_algorithm, b.mode);
    persistence(b, pool, env);
    if (const HealthMonitorInput* hm = active_monitor(pool)) {
        b.health = health_check(*hm, env);
    }
    b.header_directives = header_directives(listener, pool_mode == "http");
    b.fullconn = listener_maxconn(listener, env.ctx);
    b.timeout_connect =
        listener.timeout_member_connect ? listener.timeout_member_connect : kDefaultMemberConnect;
    b.timeout_server =
        listener.timeout_member_data ? listener.timeout_member_data : kDefaultMemberData;
    for (const MemberInput& m : pool.members) {
        if (!is_pending_delete(m.provisioning_status)) {
            b.servers.push_back(server(m, pool, listener, env));
        }
    }
    return b;
}

}  // namespace octane::render
