// L7 rule lines: acl, use_backend, http-request, redirect, and their if/unless conditions.

#include <string_view>

#include "proxy/config/line_context.h"
#include "proxy/config/values.h"

namespace octane::proxy::config {
namespace {

// The fetches our L7 matcher evaluates; anything else is reported rather than ignored.
bool known_fetch(std::string_view f) {
    auto with_arg = [&](std::string_view prefix) {
        return f.substr(0, prefix.size()) == prefix && f.size() > prefix.size() + 1 &&
               f.back() == ')';
    };
    return f == "path" || f == "path_beg" || f == "path_end" || f == "path_reg" ||
           f == "path_sub" || f == "path_dir" || f == "url" || f == "url_beg" || f == "method" ||
           f == "src" || f == "dst_port" || f == "ssl_fc" || f == "ssl_c_used" ||
           f == "ssl_c_verify" || f == "ssl_fc_sni" || f == "hdr_host" || with_arg("req.hdr(") ||
           with_arg("hdr(") || with_arg("hdr_beg(") || with_arg("hdr_end(") ||
           with_arg("hdr_sub(") || with_arg("req.cook(") || with_arg("cook(") ||
           with_arg("ssl_c_s_dn(") || f == "ssl_c_s_dn" || f == "always_true" ||
           f == "always_false" || f == "TRUE" || f == "FALSE" || f == "HTTP" || f == "METH_GET" ||
           f == "req.ssl_sni";
}

bool valid_acl_words(const LineContext& ctx, const std::vector<std::string>& words) {
    if (words.empty()) {
        ctx.error("acl expects a fetch");
        return false;
    }
    if (!known_fetch(words[0])) {
        ctx.error("acl fetch '" + words[0] + "' is not supported");
        return false;
    }
    for (size_t i = 1; i < words.size(); ++i) {
        const std::string& f = words[i];
        if (f == "-m") {
            if (i + 1 >= words.size()) {
                ctx.error("acl flag '-m' expects a match method");
                return false;
            }
            const std::string& m = words[++i];
            if (m != "str" && m != "beg" && m != "end" && m != "sub" && m != "reg" &&
                m != "found" && m != "dir" && m != "dom" && m != "int" && m != "bool" &&
                m != "len") {
                ctx.error("acl match method '-m " + m + "' is not supported");
                return false;
            }
        } else if (f == "--") {
            break;
        } else if (f == "-f" || f == "-M") {
            ctx.error("acl flag '" + f + "' (pattern files) is not supported yet");
            return false;
        } else if (f.size() > 1 && f[0] == '-' && f != "-i" && f != "-n") {
            // Patterns may start with '-'; only unknown lone flags before patterns are errors.
            break;
        } else if (f[0] != '-') {
            break;
        }
    }
    return true;
}

}  // namespace

Condition parse_condition(const LineContext& ctx, size_t start, bool* ok) {
    Condition c;
    *ok = true;
    const auto& w = ctx.words;
    if (start >= w.size()) {
        return c;
    }
    if (w[start] != "if" && w[start] != "unless") {
        ctx.error("unexpected '" + w[start] + "', expected 'if' or 'unless'");
        *ok = false;
        return c;
    }
    c.present = true;
    c.unless = w[start] == "unless";
    c.or_groups.emplace_back();
    for (size_t i = start + 1; i < w.size(); ++i) {
        if (w[i] == "||" || w[i] == "or") {
            c.or_groups.emplace_back();
            continue;
        }
        CondTerm t;
        std::string word = w[i];
        if (word == "!") {
            t.negate = true;
            if (++i >= w.size()) {
                break;
            }
            word = w[i];
        } else if (word.size() > 1 && word[0] == '!') {
            t.negate = true;
            word = word.substr(1);
        }
        if (word == "{") {
            size_t j = i + 1;
            while (j < w.size() && w[j] != "}") {
                t.anonymous.push_back(w[j]);
                ++j;
            }
            if (j >= w.size()) {
                ctx.error("missing '}' in anonymous acl");
                *ok = false;
                return c;
            }
            if (!valid_acl_words(ctx, t.anonymous)) {
                *ok = false;
            }
            i = j;
        } else {
            t.acl_name = word;
        }
        c.or_groups.back().push_back(std::move(t));
    }
    if (c.or_groups.back().empty()) {
        ctx.error("condition '" + w[start] + "' without any acl");
        *ok = false;
    }
    return c;
}

void parse_acl_line(ProxySection& proxy, const LineContext& ctx) {
    if (ctx.words.size() < 3) {
        ctx.error("'acl' expects <name> <fetch> [flags] [patterns]");
        return;
    }
    Acl a;
    a.loc = ctx.loc;
    a.name = ctx.words[1];
    a.words.assign(ctx.words.begin() + 2, ctx.words.end());
    if (!valid_acl_words(ctx, a.words)) {
        return;
    }
    proxy.acls.push_back(std::move(a));
}

void parse_use_backend_line(ProxySection& proxy, const LineContext& ctx) {
    if (ctx.words.size() < 2) {
        ctx.error("'use_backend' expects <backend>");
        return;
    }
    UseBackend u;
    u.loc = ctx.loc;
    u.backend = ctx.words[1];
    bool ok = true;
    u.cond = parse_condition(ctx, 2, &ok);
    if (ok) {
        proxy.use_backends.push_back(std::move(u));
    }
}

void parse_http_request_line(ProxySection& proxy, const LineContext& ctx) {
    const auto& w = ctx.words;
    if (w.size() < 2) {
        ctx.error("'http-request' expects an action");
        return;
    }
    if (w[1].starts_with("set-var(")) {
        parse_set_var_rule(proxy, ctx, 1, true);
        return;
    }
    HttpRequestRule r;
    r.loc = ctx.loc;
    size_t next = 2;
    const std::string& a = w[1];
    if (a == "deny" || a == "reject") {
        r.action = a == "deny" ? HttpRequestAction::kDeny : HttpRequestAction::kReject;
        if (next + 1 < w.size() && w[next] == "deny_status") {
            auto n = parse_int(w[next + 1]);
            if (!n || *n < 200 || *n > 599) {
                ctx.error("'http-request deny deny_status' expects an HTTP status");
            } else {
                r.deny_status = static_cast<int>(*n);
            }
            next += 2;
        }
    } else if (a == "set-header" || a == "add-header") {
        if (w.size() < 4) {
            ctx.error("'http-request " + a + "' expects <name> <format>");
            return;
        }
        r.action =
            a == "set-header" ? HttpRequestAction::kSetHeader : HttpRequestAction::kAddHeader;
        r.name = w[2];
        r.value = w[3];
        next = 4;
    } else if (a == "del-header") {
        if (w.size() < 3) {
            ctx.error("'http-request del-header' expects <name>");
            return;
        }
        r.action = HttpRequestAction::kDelHeader;
        r.name = w[2];
        next = 3;
    } else if (a == "use-service") {
        if (w.size() < 3) {
            ctx.error("'http-request use-service' expects <service>");
            return;
        }
        r.action = HttpRequestAction::kUseService;
        r.name = w[2];
        next = 3;
        if (r.name != "prometheus-exporter") {
            ctx.error("'http-request use-service " + r.name + "' is not supported");
        }
    } else {
        ctx.error("'http-request " + a + "' is not supported");
        return;
    }
    bool ok = true;
    r.cond = parse_condition(ctx, next, &ok);
    if (ok) {
        proxy.http_request_rules.push_back(std::move(r));
    }
}

void parse_http_response_line(ProxySection& proxy, const LineContext& ctx) {
    const auto& w = ctx.words;
    const std::string a = w.size() > 1 ? w[1] : "";
    HttpResponseRule r;
    r.loc = ctx.loc;
    size_t next = 0;
    if (a == "set-header" || a == "add-header") {
        r.action =
            a == "set-header" ? HttpResponseAction::kSetHeader : HttpResponseAction::kAddHeader;
        next = 4;
    } else if (a == "del-header") {
        r.action = HttpResponseAction::kDelHeader;
        next = 3;
    } else {
        ctx.error("'http-response " + a + "' is not supported yet (only set-header, add-header, " +
                  "del-header)");
        return;
    }
    if (w.size() < next) {
        ctx.error("'http-response " + a + "' expects <name>" + (next == 4 ? " <value>" : ""));
        return;
    }
    r.name = w[2];
    r.value = next == 4 ? w[3] : "";
    if (w.size() > next) {
        ctx.error("conditions on 'http-response' rules are not supported yet");
        return;
    }
    if (r.value.find('%') != std::string::npos) {
        ctx.error("'http-response " + a + "' : log-format values ('%') are not supported yet");
        return;
    }
    proxy.http_response_rules.push_back(std::move(r));
}

void parse_redirect_line(ProxySection& proxy, const LineContext& ctx) {
    const auto& w = ctx.words;
    Redirect r;
    r.loc = ctx.loc;
    size_t i = 1;
    bool have_target = false;
    while (i < w.size() && w[i] != "if" && w[i] != "unless") {
        const std::string& k = w[i];
        if (i + 1 >= w.size() &&
            (k == "code" || k == "location" || k == "prefix" || k == "scheme")) {
            ctx.error("'redirect " + k + "' expects a value");
            return;
        }
        if (k == "code") {
            auto n = parse_int(w[i + 1]);
            if (!n || (*n != 301 && *n != 302 && *n != 303 && *n != 307 && *n != 308)) {
                ctx.error("'redirect code' expects 301, 302, 303, 307 or 308");
                return;
            }
            r.code = static_cast<int>(*n);
            i += 2;
        } else if (k == "location" || k == "prefix" || k == "scheme") {
            r.kind = k == "location" ? RedirectKind::kLocation
                     : k == "prefix" ? RedirectKind::kPrefix
                                     : RedirectKind::kScheme;
            r.value = w[i + 1];
            have_target = true;
            i += 2;
        } else if (k == "drop-query" || k == "append-slash") {
            ++i;
        } else {
            ctx.error("'redirect' option '" + k + "' is not supported");
            return;
        }
    }
    if (!have_target) {
        ctx.error("'redirect' expects 'location', 'prefix' or 'scheme'");
        return;
    }
    bool ok = true;
    r.cond = parse_condition(ctx, i, &ok);
    if (ok) {
        proxy.redirects.push_back(std::move(r));
    }
}

}  // namespace octane::proxy::config
