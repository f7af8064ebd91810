// Keyword table of frontend / backend / listen / defaults sections. Each keyword states the
// sections that accept it; a keyword in the wrong section is an error, as in HAProxy.

#include <string_view>

#include "proxy/config/line_context.h"
#include "proxy/config/sample_expr.h"
#include "proxy/config/values.h"

namespace octane::proxy::config {
namespace {

constexpr unsigned kD = 1, kF = 2, kB = 4, kAll = kD | kF | kB;

unsigned section_bit(const ProxySection& p) {
    switch (p.kind) {
        case SectionKind::kDefaults:
            return kD;
        case SectionKind::kFrontend:
            return kF;
        case SectionKind::kBackend:
            return kB;
        case SectionKind::kListen:
            return kF | kB;
    }
    return 0;
}

const char* section_name(const ProxySection& p) {
    switch (p.kind) {
        case SectionKind::kDefaults:
            return "defaults";
        case SectionKind::kFrontend:
            return "frontend";
        case SectionKind::kBackend:
            return "backend";
        case SectionKind::kListen:
            return "listen";
    }
    return "?";
}

bool want_args(const LineContext& ctx, size_t n) {
    if (ctx.words.size() < n + 1) {
        ctx.error(ctx.kw() + " expects " + std::to_string(n) + " argument(s)");
        return false;
    }
    return true;
}

void set_int(const LineContext& ctx, int& out, long long min, long long max) {
    if (!want_args(ctx, 1)) {
        return;
    }
    auto v = parse_int(ctx.words[1]);
    if (!v || *v < min || *v > max) {
        ctx.error(ctx.kw() + " expects an integer in [" + std::to_string(min) + ", " +
                  std::to_string(max) + "], got '" + ctx.words[1] + "'");
        return;
    }
    out = static_cast<int>(*v);
}

void kw_mode(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 1)) {
        return;
    }
    if (ctx.words[1] == "tcp") {
        p.mode = Mode::kTcp;
    } else if (ctx.words[1] == "http") {
        p.mode = Mode::kHttp;
    } else {
        ctx.error("'mode' expects 'tcp' or 'http', got '" + ctx.words[1] + "'");
    }
}

void kw_timeout(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 2)) {
        return;
    }
    auto d = parse_duration(ctx.words[2]);
    if (!d) {
        ctx.error("'timeout " + ctx.words[1] + "' expects a duration, got '" + ctx.words[2] + "'");
        return;
    }
    const std::string& which = ctx.words[1];
    Timeouts& t = p.timeouts;
    struct {
        std::string_view name;
        std::optional<Millis>* slot;
        unsigned sections;
    } const table[] = {
        {"client", &t.client, kD | kF},
        {"server", &t.server, kD | kB},
        {"connect", &t.connect, kD | kB},
        {"check", &t.check, kD | kB},
        {"http-request", &t.http_request, kAll},
        {"http-keep-alive", &t.http_keep_alive, kAll},
        {"queue", &t.queue, kD | kB},
        {"tunnel", &t.tunnel, kD | kB},
        {"client-fin", &t.client_fin, kD | kF},
        {"server-fin", &t.server_fin, kD | kB},
    };
    for (const auto& row : table) {
        if (row.name == which) {
            if ((row.sections & section_bit(p)) == 0) {
                ctx.error("'timeout " + which + "' is not allowed in a '" + section_name(p) +
                          "' section");
                return;
            }
            *row.slot = *d;
            return;
        }
    }
    ctx.error("unknown timeout '" + which + "'");
}

void kw_httpchk(ProxySection& p, const LineContext& ctx, size_t first) {
    const auto& w = ctx.words;
    HttpCheck& hc = p.httpchk;
    hc.enabled = true;
    if (w.size() == first + 1) {
        hc.uri = w[first];
    } else if (w.size() > first + 1) {
        hc.method = w[first];
        hc.uri = w[first + 1];
        if (w.size() > first + 2) {
            // Octavia smuggles headers after the version ("HTTP/1.1\r\nHost: x"): keep them.
            const std::string& v = w[first + 2];
            size_t crlf = v.find("\r\n");
            hc.version = crlf == std::string::npos ? v : v.substr(0, crlf);
            hc.extra = crlf == std::string::npos ? "" : v.substr(crlf);
        }
        if (w.size() > first + 3) {
            ctx.error("'option httpchk' takes at most <method> <uri> <version>");
        }
    }
}

void kw_option(ProxySection& p, const LineContext& ctx, bool negate) {
    size_t i = negate ? 2 : 1;
    const auto& w = ctx.words;
    if (w.size() <= i) {
        ctx.error("'option' expects an option name");
        return;
    }
    const std::string& o = w[i];
    bool v = !negate;
    unsigned sec = section_bit(p);
    if (o == "redispatch" && (sec & (kD | kB))) {
        p.redispatch = v;
    } else if (o == "allbackups" && (sec & (kD | kB))) {
        p.allbackups = v;
    } else if (o == "forwardfor") {
        p.forwardfor = v;
    } else if (o == "http-keep-alive") {
        p.http_keep_alive = v;
    } else if (o == "http-server-close") {
        p.http_server_close = v;
    } else if (o == "splice-request") {
        p.splice_request = v;
    } else if (o == "splice-response") {
        p.splice_response = v;
    } else if (o == "splice-auto") {
        p.splice_auto = v;
    } else if (o == "dontlognull" || o == "tcplog" || o == "httplog" || o == "log-health-checks" ||
               o == "dontlog-normal" || o == "abortonclose" || o == "tcpka" || o == "clitcpka" ||
               o == "srvtcpka") {
        // Logging/keepalive hints with no effect on forwarding decisions.
    } else if (o == "httpchk" && !negate && (sec & (kD | kB))) {
        kw_httpchk(p, ctx, i + 1);
    } else if (o == "external-check" && (sec & (kD | kB))) {
        p.external_check = v;
    } else if (o == "ssl-hello-chk" && (sec & (kD | kB))) {
        p.ssl_hello_check = v;
    } else if (o == "mysql-check" || o == "pgsql-check" || o == "redis-check" || o == "smtpchk" ||
               o == "ldap-check") {
        ctx.error("'option " + o + "' is not supported yet");
    } else {
        ctx.error("unknown option '" + o + "' in '" + section_name(p) + "' section");
    }
}

void kw_balance_hash(ProxySection& p, const LineContext& ctx) {
    if (ctx.words.size() != 3) {
        ctx.error(
            "'balance hash' expects one sample expression, e.g. 'src,concat(:,txn.src_port)'");
        return;
    }
    auto expr = parse_sample_expr(ctx.words[2]);
    if (!expr) {
        ctx.error("'balance hash': " + expr.error().message);
        return;
    }
    p.balance = balance::Algorithm::kHash;
    p.balance_hash = std::move(*expr);
}

void kw_balance(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 1)) {
        return;
    }
    const std::string& a = ctx.words[1];
    auto algo = balance::algorithm_named(a);
    if (!algo) {
        ctx.error("'balance " + a + "' is not supported (" +
                  std::string(balance::algorithm_names()) + ")");
    } else if (*algo == balance::Algorithm::kHash) {
        kw_balance_hash(p, ctx);
    } else {
        p.balance = *algo;
    }
}

void kw_hash_type(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 1)) {
        return;
    }
    if (auto type = balance::hash_type_named(ctx.words[1])) {
        p.hash_type = *type;
    } else {
        ctx.error("'hash-type' expects 'map-based' or 'consistent'");
    }
}

void kw_log(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 1)) {
        return;
    }
    p.log = true;
}

void kw_no(ProxySection& p, const LineContext& ctx) {
    if (ctx.words.size() >= 2 && ctx.words[1] == "log") {
        p.log = false;
    } else if (ctx.words.size() >= 2 && ctx.words[1] == "option") {
        kw_option(p, ctx, true);
    } else {
        ctx.error("'no' supports only 'no log' and 'no option <name>'");
    }
}

void kw_default_backend(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 1)) {
        return;
    }
    p.default_backend = ctx.words[1];
    p.default_backend_loc = ctx.loc;
}

void kw_http_check(ProxySection& p, const LineContext& ctx) {
    const auto& w = ctx.words;
    if (!want_args(ctx, 2)) {
        return;
    }
    if (w[1] == "expect") {
        size_t i = 2;
        if (w[i] == "!") {
            p.httpchk.expect_negate = true;
            ++i;
        }
        if (w.size() < i + 2) {
            ctx.error("'http-check expect' expects <match> <pattern>");
            return;
        }
        const std::string& kind = w[i];
        if (kind != "status" && kind != "rstatus" && kind != "string" && kind != "rstring") {
            ctx.error("'http-check expect " + kind + "' is not supported");
            return;
        }
        p.httpchk.expect_set = true;
        p.httpchk.expect_kind = kind;
        p.httpchk.expect_value = w[i + 1];
    } else if (w[1] == "send") {
        for (size_t i = 2; i < w.size(); ++i) {
            if (w[i] == "hdr" && i + 2 < w.size()) {
                p.httpchk.send_headers.emplace_back(w[i + 1], w[i + 2]);
                i += 2;
            } else if ((w[i] == "meth" || w[i] == "uri" || w[i] == "ver") && i + 1 < w.size()) {
                std::string& slot = w[i] == "meth"  ? p.httpchk.method
                                    : w[i] == "uri" ? p.httpchk.uri
                                                    : p.httpchk.version;
                slot = w[++i];
            } else {
                ctx.error("'http-check send' option '" + w[i] + "' is not supported");
                return;
            }
        }
    } else if (w[1] == "disable-on-404") {
    } else {
        ctx.error("'http-check " + w[1] + "' is not supported");
    }
}

void kw_cookie(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 1)) {
        return;
    }
    CookiePersistence& c = p.cookie;
    c.enabled = true;
    c.name = ctx.words[1];
    for (size_t i = 2; i < ctx.words.size(); ++i) {
        const std::string& o = ctx.words[i];
        if (o == "insert") {
            c.insert = true;
        } else if (o == "indirect") {
            c.indirect = true;
        } else if (o == "nocache") {
            c.nocache = true;
        } else if (o == "rewrite") {
            c.rewrite = true;
        } else if (o == "prefix") {
            c.prefix = true;
        } else if (o == "httponly" || o == "secure" || o == "postonly" || o == "preserve") {
        } else {
            ctx.error("'cookie' option '" + o + "' is not supported");
        }
    }
    if (c.rewrite || c.prefix) {
        ctx.error("'cookie' rewrite/prefix modes are not supported yet (use insert)");
    }
}

void kw_stick_table(ProxySection& p, const LineContext& ctx) {
    const auto& w = ctx.words;
    StickTable& t = p.stick_table;
    t.enabled = true;
    for (size_t i = 1; i < w.size(); ++i) {
        if (i + 1 >= w.size()) {
            ctx.error("'stick-table' option '" + w[i] + "' expects a value");
            return;
        }
        const std::string& k = w[i];
        const std::string& v = w[++i];
        if (k == "type") {
            if (v != "ip" && v != "ipv6" && v != "string" && v != "integer") {
                ctx.error("'stick-table type " + v + "' is not supported");
            }
            t.type = v;
        } else if (k == "len") {
            auto n = parse_int(v);
            t.len = n ? static_cast<int>(*n) : 0;
        } else if (k == "size") {
            auto n = parse_size(v);
            if (!n || *n <= 0) {
                ctx.error("'stick-table size' expects a size, got '" + v + "'");
            } else {
                t.size = static_cast<int>(*n);
            }
        } else if (k == "peers") {
            t.peers = v;
        } else if (k == "expire" || k == "store") {
        } else {
            ctx.error("'stick-table' option '" + k + "' is not supported");
        }
    }
    if (t.type.empty()) {
        ctx.error("'stick-table' expects 'type'");
    }
}

void kw_stick(ProxySection& p, const LineContext& ctx) {
    if (!want_args(ctx, 2)) {
        return;
    }
    StickRule r;
    r.loc = ctx.loc;
    const std::string& k = ctx.words[1];
    r.kind = k == "on"              ? StickKind::kOn
             : k == "match"         ? StickKind::kMatch
             : k == "store-request" ? StickKind::kStoreRequest
                                    : StickKind::kStoreResponse;
    if (k != "on" && k != "match" && k != "store-request" && k != "store-response") {
        ctx.error("'stick " + k + "' is not supported");
        return;
    }
    r.fetch = ctx.words[2];
    bool known = r.fetch == "src" ||
                 (r.fetch.rfind("req.cook(", 0) == 0 && r.fetch.back() == ')') ||
                 (r.fetch.rfind("res.cook(", 0) == 0 && r.fetch.back() == ')');
    if (!known) {
        ctx.error("'stick " + k + "' fetch '" + r.fetch + "' is not supported");
        return;
    }
    if (ctx.words.size() > 3) {
        ctx.error("conditions on 'stick' rules are not supported yet");
    }
    p.stick_rules.push_back(std::move(r));
}

void kw_tcp_request(ProxySection& p, const LineContext& ctx) {
    if (ctx.words.size() >= 3 && ctx.words[1] == "inspect-delay") {
        p.inspect_delay = parse_duration(ctx.words[2]);
        if (!p.inspect_delay) {
            ctx.error("'tcp-request inspect-delay' expects a duration");
        }
        return;
    }
    if (ctx.words.size() >= 3 && ctx.words[1] == "content" &&
        ctx.words[2].starts_with("set-var(")) {
        parse_set_var_rule(p, ctx, 2, false);
        return;
    }
    ctx.error("'tcp-request' supports only 'inspect-delay' and 'content set-var(...)' yet");
}

using Handler = void (*)(ProxySection&, const LineContext&);
const struct {
    std::string_view name;
    unsigned sections;
    Handler handler;
} kProxyKeywords[] = {
    {"mode", kAll, kw_mode},
    {"maxconn", kD | kF,
     [](ProxySection& p, const LineContext& c) { set_int(c, p.maxconn, 0, 10'000'000); }},
    {"fullconn", kD | kB,
     [](ProxySection& p, const LineContext& c) { set_int(c, p.fullconn, 0, 10'000'000); }},
    {"retries", kD | kB,
     [](ProxySection& p, const LineContext& c) { set_int(c, p.retries, 0, 1000); }},
    {"timeout", kAll, kw_timeout},
    {"option", kAll, [](ProxySection& p, const LineContext& c) { kw_option(p, c, false); }},
    {"no", kAll, kw_no},
    {"balance", kD | kB, kw_balance},
    {"hash-type", kD | kB, kw_hash_type},
    {"log", kAll, kw_log},
    {"log-format", kD | kF,
     [](ProxySection& p, const LineContext& c) {
         if (want_args(c, 1)) {
             p.log_format = c.words[1];
         }
     }},
    {"default_backend", kD | kF, kw_default_backend},
    {"bind", kF, parse_bind_line},
    {"server", kB, parse_server_line},
    {"acl", kF | kB, parse_acl_line},
    {"use_backend", kF, parse_use_backend_line},
    {"http-request", kF | kB, parse_http_request_line},
    {"http-response", kF | kB, parse_http_response_line},
    {"redirect", kF | kB, parse_redirect_line},
    {"http-check", kD | kB, kw_http_check},
    {"cookie", kD | kB, kw_cookie},
    {"stick-table", kB, kw_stick_table},
    {"stick", kB, kw_stick},
    {"tcp-request", kF | kB, kw_tcp_request},
    {"http-reuse", kD | kB,
     [](ProxySection& p, const LineContext& c) {
         if (want_args(c, 1)) {
             p.http_reuse = c.words[1];
         }
     }},
    {"load-server-state-from-file", kD | kB,
     [](ProxySection& p, const LineContext& c) {
         if (want_args(c, 1)) {
             p.load_server_state = c.words[1] != "none";
         }
     }},
    {"description", kAll, [](ProxySection&, const LineContext&) {}},
    {"external-check", kD | kB,
     [](ProxySection& p, const LineContext& c) {
         if (c.words.size() >= 3 && c.words[1] == "command") {
             p.external_command = c.words[2];
         } else if (c.words.size() < 3 || c.words[1] != "path") {
             c.error("'external-check' expects 'command <path>' or 'path <PATH>'");
         }
     }},
};

}  // namespace

void parse_set_var_rule(ProxySection& proxy, const LineContext& ctx, size_t action_at, bool http) {
    const auto& w = ctx.words;
    std::string rule = http ? "'http-request set-var'" : "'tcp-request content set-var'";
    if (!proxy.has_backend() || proxy.has_frontend()) {
        // The engine reads the variables where it balances: the backend's own rules only.
        ctx.error(rule + " is supported in 'backend' sections only");
        return;
    }
    auto var = parse_set_var_action(w[action_at]);
    if (!var) {
        ctx.error(rule + ": " + var.error().message);
        return;
    }
    if (w.size() < action_at + 2) {
        ctx.error(rule + " expects a sample expression");
        return;
    }
    if (w.size() > action_at + 2) {
        ctx.error(w[action_at + 2] == "if" || w[action_at + 2] == "unless"
                      ? rule + ": conditions are not supported yet"
                      : rule + " takes one sample expression; unexpected '" + w[action_at + 2] +
                            "'");
        return;
    }
    auto expr = parse_sample_expr(w[action_at + 1]);
    if (!expr) {
        ctx.error(rule + ": " + expr.error().message);
        return;
    }
    proxy.set_vars.push_back(SetVarRule{ctx.loc, http, std::move(*var), std::move(*expr)});
}

void parse_proxy_line(ProxySection& proxy, const LineContext& ctx) {
    for (const auto& kw : kProxyKeywords) {
        if (kw.name != ctx.words[0]) {
            continue;
        }
        if ((kw.sections & section_bit(proxy)) == 0) {
            ctx.error(ctx.kw() + " is not allowed in a '" + section_name(proxy) + "' section");
            return;
        }
        size_t before = proxy.acls.size() + proxy.use_backends.size() +
                        proxy.http_request_rules.size() + proxy.redirects.size();
        kw.handler(proxy, ctx);
        size_t after = proxy.acls.size() + proxy.use_backends.size() +
                       proxy.http_request_rules.size() + proxy.redirects.size();
        if (after > before) {
            proxy.l7_lines.push_back(RawLine{ctx.loc, ctx.words});
        }
        return;
    }
    ctx.error("unknown keyword '" + ctx.words[0] + "' in '" + section_name(proxy) + "' section");
}

}  // namespace octane::proxy::config
