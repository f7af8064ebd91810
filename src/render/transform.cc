#include "render/transform.h"

#include "render/transform_env.h"
#include "wire/peer_name.h"

namespace octane::render {
namespace {

constexpr long long kDefaultClientData = 50000;

bool is_lvs(const ListenerInput& listener) {
    return listener.protocol == "UDP" || listener.protocol == "SCTP";
}

bool version_at_least(const RenderContext& ctx, int major, int minor) {
    return ctx.haproxy_major > major || (ctx.haproxy_major == major && ctx.haproxy_minor >= minor);
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (size_t pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

// Octavia's user_log_format with HTTP-only fields blanked for non-HTTP listeners and the ids
// filled in (emit() escapes the word). The ids come last and with `%` doubled, HAProxy's literal
// percent, so a project id cannot add a log variable or a sample fetch.
std::string log_format(const ListenerInput& listener, const TransformEnv& env) {
    std::string f = env.ctx.user_log_format;
    if (listener.protocol != "HTTP" && listener.protocol != "TERMINATED_HTTPS") {
        for (std::string_view field : {"%{+Q}r", "%r", "%{+Q}ST", "%ST"}) {
            f = replace_all(f, field, "-");
        }
    }
    f = replace_all(f, "{{ project_id }}", replace_all(env.lb.project_id, "%", "%%"));
    return replace_all(f, "{{ lb_id }}", replace_all(env.lb.id, "%", "%%"));
}

BindView bind_template(const ListenerInput& listener, const TransformEnv& env) {
    BindView b;
    b.port = listener.protocol_port;
    if (!listener.default_tls_container_ref.empty()) {
        b.crt_list = env.cert_dir + "/" + listener.id + ".pem";
    }
    if (!listener.client_ca_tls_container_ref.empty()) {
        b.ca_file = env.secret_path(listener.client_ca_tls_container_ref, "client_ca_tls");
        const std::string& auth = listener.client_authentication;
        b.verify = auth == "MANDATORY" ? "required" : auth == "OPTIONAL" ? "optional" : "none";
        if (!listener.client_crl_container_ref.empty()) {
            b.crl_file = env.secret_path(listener.client_crl_container_ref, "client_crl");
        }
    }
    if (listener_tls_enabled(listener)) {
        if (listener.tls_ciphers) {
            b.ciphers = env.word(*listener.tls_ciphers, "listener.tls_ciphers");
        }
        b.tls_versions = listener.tls_versions;
        if (listener.alpn_protocols) {
            std::string joined;
            for (const std::string& p : *listener.alpn_protocols) {
                joined += (joined.empty() ? "" : ",") + p;
            }
            b.alpn = env.word(joined, "listener.alpn_protocols");
        }
    }
    return b;
}

std::string hsts(const ListenerInput& listener) {
    if (listener.protocol != "TERMINATED_HTTPS" || !listener.hsts_max_age) {
        return "";
    }
    std::string value = "max-age=" + std::to_string(*listener.hsts_max_age) + ";";
    if (listener.hsts_include_subdomains) {
        value += " includeSubDomains;";
    }
    if (listener.hsts_preload) {
        value += " preload;";
    }
    return value;
}

FrontendView frontend(const ListenerInput& listener, const TransformEnv& env) {
    FrontendView f;
    f.listener_id = env.word(listener.id, "listener.id");
    f.maxconn = listener_maxconn(listener, env.ctx);
    f.redirect_https = listener.protocol == "TERMINATED_HTTPS";
    f.hsts = hsts(listener);
    BindView tmpl = bind_template(listener, env);
    std::vector<std::string> vips{env.lb.vip_address};
    vips.insert(vips.end(), env.lb.additional_vips.begin(), env.lb.additional_vips.end());
    for (const std::string& vip : vips) {
        f.binds.push_back(tmpl);
        f.binds.back().address = env.word(vip, "vip_address");
    }
    f.mode = listener_mode(listener.protocol);
    f.policies = transform_policies(listener, env);
    if (const PoolInput* pool = env.find_pool(listener.default_pool_id)) {
        if (pool->admin_state_up && !is_pending_delete(pool->provisioning_status)) {
            f.default_backend = pool->id + ":" + listener.id;
        }
    }
    f.timeout_client =
        listener.timeout_client_data ? listener.timeout_client_data : kDefaultClientData;
    f.tcp_inspect_delay = listener.timeout_tcp_inspect;
    f.prometheus_backend = listener.protocol == "PROMETHEUS" && env.prometheus;
    if (env.ctx.connection_logging) {
        f.log_format = log_format(listener, env);
    }
    return f;
}

ProxyView proxy(const ListenerInput& listener, const TransformEnv& env) {
    ProxyView p;
    if (listener_mode(listener.protocol).empty()) {
        env.errors->push_back("listener " + listener.id + ": unsupported protocol " +
                              listener.protocol);
    }
    p.frontend = frontend(listener, env);
    for (const PoolInput* pool : listener_pools(listener, env)) {
        if (pool->admin_state_up) {
            p.backends.push_back(transform_backend(listener, *pool, env));
        }
    }
    return p;
}

bool uses_ping_check(const ListenerInput& listener, const TransformEnv& env) {
    for (const PoolInput* pool : listener_pools(listener, env)) {
        const auto& hm = pool->healthmonitor;
        if (pool->admin_state_up && hm && hm->admin_state_up && hm->type == "PING" &&
            !is_pending_delete(hm->provisioning_status)) {
            return true;
        }
    }
    return false;
}

GlobalView global(const std::vector<const ListenerInput*>& listeners, const TransformEnv& env) {
    const RenderContext& ctx = env.ctx;
    GlobalView g;
    g.lb_id = env.word(env.lb.id, "loadbalancer.id");
    g.user = ctx.user;
    g.group = ctx.group;
    g.log_target = ctx.log_target;
    g.user_log_facility = ctx.user_log_facility;
    g.administrative_log_facility = ctx.administrative_log_facility;
    g.stats_socket =
        ctx.stats_socket.empty() ? ctx.base_dir + "/" + env.lb.id + ".sock" : ctx.stats_socket;
    g.server_state_file = ctx.server_state_file.empty()
                              ? ctx.base_dir + "/" + env.lb.id + "/servers-state"
                              : ctx.server_state_file;
    g.connection_logging = ctx.connection_logging;
    long long sum = 0;  // disabled listeners count too, as in Octavia
    for (const ListenerInput* l : listeners) {
        sum += listener_maxconn(*l, ctx);
        if (l->admin_state_up && uses_ping_check(*l, env)) {
            g.external_check = true;
        }
    }
    g.maxconn = (sum > 0 && sum < ctx.max_global_maxconn) ? sum : ctx.max_global_maxconn;
    g.insecure_fork_wanted = g.external_check && env.insecure_fork;
    g.peers_section = env.peers_name;
    for (const AmphoraPeer& amp : ctx.amphorae) {
        if (!env.peers_name.empty() && amp.status == "ALLOCATED") {
            g.peers.push_back(
                {wire::peer_name(amp.id), env.word(amp.vrrp_ip, "vrrp_ip"), ctx.peer_port});
        }
    }
    return g;
}

std::string join_errors(const std::vector<std::string>& errors) {
    std::string out = "cannot render haproxy.cfg: ";
    for (size_t i = 0; i < errors.size(); ++i) {
        out += (i ? "; " : "") + errors[i];
    }
    return out;
}

}  // namespace

Result<ConfigView> transform(const LoadBalancerInput& lb, const RenderContext& ctx) {
    std::vector<std::string> errors;
    TransformEnv env{lb, ctx};
    env.cert_dir = (ctx.cert_dir.empty() ? ctx.base_dir + "/certs" : ctx.cert_dir) + "/" + lb.id;
    if (ctx.topology == Topology::kActiveStandby) {
        env.peers_name = replace_all(lb.id, "-", "") + "_peers";
    }
    env.http_reuse = version_at_least(ctx, 1, 6);
    env.pool_alpn = version_at_least(ctx, 1, 9);
    env.prometheus = ctx.haproxy_major >= 2;
    env.insecure_fork = version_at_least(ctx, 2, 2);
    env.errors = &errors;

    std::vector<const ListenerInput*> listeners;  // the TCP family, minus deleting ones
    for (const ListenerInput& l : lb.listeners) {
        if (!is_lvs(l) && !is_pending_delete(l.provisioning_status)) {
            listeners.push_back(&l);
        }
    }
    ConfigView view;
    view.global = global(listeners, env);
    for (const ListenerInput* l : listeners) {
        view.prometheus.enabled |= l->protocol == "PROMETHEUS" && env.prometheus;
        if (lb.admin_state_up && l->admin_state_up) {
            view.proxies.push_back(proxy(*l, env));
        }
    }
    view.prometheus.bind = ctx.prometheus_bind;
    view.prometheus.server = ctx.prometheus_server;
    if (!errors.empty()) {
        return make_error(join_errors(errors));
    }
    return view;
}

}  // namespace octane::render
