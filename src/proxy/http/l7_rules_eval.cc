// Per-request side of L7Rules: header actions, redirect Location building, backend choice, and
// the tiny log-format subset used in set-header values.

#include <charconv>

#include "proxy/http/l7_rules.h"

namespace octane::proxy::http {
namespace {

Unexpected<Error> format_error(AclErrc code, std::string message) {
    return make_error(std::move(message), static_cast<int>(code));
}

void append_number(std::string& out, unsigned value) {
    char buf[16];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, ptr);
}

}  // namespace

Result<std::vector<L7Rules::FormatPart>> L7Rules::compile_format(std::string_view f) {
    std::vector<FormatPart> parts;
    std::string literal;
    for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') {
            literal.push_back(f[i]);
            continue;
        }
        if (i + 1 < f.size() && f[i + 1] == '%') {
            literal.push_back('%');
            ++i;
            continue;
        }
        bool quote = false;
        size_t open = i + 1;
        if (f.substr(open, 5) == "{+Q}[") {
            quote = true;
            open += 4;
        }
        size_t close = f.find(']', open);
        if (open >= f.size() || f[open] != '[' || close == std::string_view::npos) {
            return format_error(AclErrc::kUnsupported,
                                "log-format '" + std::string(f) +
                                    "' is not supported (only %[fetch] and %{+Q}[fetch])");
        }
        std::string_view fetch = f.substr(open + 1, close - open - 1);
        FormatPart::Kind kind;
        std::string arg;
        if (fetch.starts_with("ssl_c_s_dn(") && fetch.ends_with(")")) {
            kind = FormatPart::Kind::kSslCSDn;
            arg = std::string(fetch.substr(11, fetch.size() - 12));
        } else if (fetch == "ssl_c_s_dn") {
            kind = FormatPart::Kind::kSslCSDn;
        } else if (fetch == "ssl_c_verify") {
            kind = FormatPart::Kind::kSslCVerify;
        } else if (fetch == "ssl_c_used" || fetch == "ssl_fc_has_crt") {
            kind = FormatPart::Kind::kSslCUsed;
        } else if (fetch == "ssl_c_i_dn") {
            kind = FormatPart::Kind::kSslCIDn;
        } else if (fetch == "ssl_c_sha1,hex") {
            kind = FormatPart::Kind::kSslCSha1Hex;
        } else if (fetch == "ssl_c_notbefore") {
            kind = FormatPart::Kind::kSslCNotBefore;
        } else if (fetch == "ssl_c_notafter") {
            kind = FormatPart::Kind::kSslCNotAfter;
        } else if (fetch == "ssl_fc_sni") {
            kind = FormatPart::Kind::kSslFcSni;
        } else if (fetch == "dst_port") {
            kind = FormatPart::Kind::kDstPort;
        } else if (fetch == "src") {
            kind = FormatPart::Kind::kSrc;
        } else if (fetch == "src_port") {
            kind = FormatPart::Kind::kSrcPort;
        } else if (fetch == "ssl_fc") {
            kind = FormatPart::Kind::kSslFc;
        } else {
            return format_error(AclErrc::kUnsupported,
                                "%[" + std::string(fetch) + "] is not supported yet");
        }
        if (!literal.empty()) {
            parts.push_back(FormatPart{FormatPart::Kind::kLiteral, std::move(literal)});
            literal.clear();
        }
        parts.push_back(FormatPart{kind, std::move(arg), quote});
        i = close;
    }
    if (!literal.empty()) {
        parts.push_back(FormatPart{FormatPart::Kind::kLiteral, std::move(literal)});
    }
    return parts;
}

std::string L7Rules::render(const std::vector<FormatPart>& parts, const ConnectionFacts& conn) {
    std::string out;
    for (const FormatPart& p : parts) {
        switch (p.kind) {
            case FormatPart::Kind::kLiteral:
                out += p.text;
                break;
            case FormatPart::Kind::kDstPort:
                append_number(out, conn.dst_port);
                break;
            case FormatPart::Kind::kSrc:
                out += conn.src_ip;
                break;
            case FormatPart::Kind::kSrcPort:
                append_number(out, conn.src_port);
                break;
            case FormatPart::Kind::kSslFc:
                out += conn.ssl ? "1" : "0";
                break;
            default:
                append_tls(out, p, conn);
                break;
        }
    }
    return out;
}

// A missing sample (plain connection, no client certificate) renders as HAProxy's log-format
// does: `""` when quoted, `-` otherwise.
void L7Rules::append_tls(std::string& out, const FormatPart& p, const ConnectionFacts& conn) {
    const TlsFacts* t = conn.tls;
    bool cert = t != nullptr && t->has_cert;
    const std::string* value = nullptr;
    std::string number;
    switch (p.kind) {
        case FormatPart::Kind::kSslCVerify:
            number = std::to_string(t != nullptr ? t->verify : 0);
            value = &number;
            break;
        case FormatPart::Kind::kSslCUsed:
            number = cert ? "1" : "0";
            value = &number;
            break;
        case FormatPart::Kind::kSslCSDn:
            value = !cert ? nullptr : p.text.empty() ? &t->s_dn : t->s_dn_entry(p.text);
            break;
        case FormatPart::Kind::kSslCIDn:
            value = cert ? &t->i_dn : nullptr;
            break;
        case FormatPart::Kind::kSslCSha1Hex:
            value = cert ? &t->sha1_hex : nullptr;
            break;
        case FormatPart::Kind::kSslCNotBefore:
            value = cert ? &t->not_before : nullptr;
            break;
        case FormatPart::Kind::kSslCNotAfter:
            value = cert ? &t->not_after : nullptr;
            break;
        case FormatPart::Kind::kSslFcSni:
            value = t != nullptr && !t->sni.empty() ? &t->sni : nullptr;
            break;
        default:
            break;
    }
    if (p.quote) {
        out += '"';
        out += value != nullptr ? *value : "";
        out += '"';
    } else {
        out += value != nullptr ? *value : "-";
    }
}

// HAProxy: prefix + URI (path and query; path only with drop-query), "/" prefix meaning "no
// prefix"; scheme + "://" + first Host + URI, with "/" for a missing or "*" path.
std::string L7Rules::build_location(const RedirectRule& r, const MessageView& msg,
                                    const HeaderMap& headers) {
    if (r.kind == RedirectKind::kLocation) {
        return r.value;
    }
    std::string_view uri = r.drop_query ? msg.path() : msg.path_and_query();
    std::string out;
    if (r.kind == RedirectKind::kScheme) {
        out = r.value + "://" + std::string(headers.get("Host"));
        if (uri.empty()) {
            uri = "/";
        }
    } else if (r.value != "/") {
        out = r.value;
    }
    out += uri;
    if (r.append_slash && r.drop_query && (out.empty() || out.back() != '/')) {
        out += '/';
    }
    return out;
}

L7Decision L7Rules::evaluate(const MessageView& msg, HeaderMap& headers,
                             const ConnectionFacts& conn) const {
    RequestContext req{msg, &headers, conn};
    L7Decision d;
    for (const HttpRule& rule : http_rules_) {
        if (!rule.cond.evaluate(req)) {
            continue;
        }
        switch (rule.action) {
            case HttpAction::kDeny:
                d.verdict = L7Verdict::kDeny;
                d.status = rule.deny_status;
                return d;
            case HttpAction::kReject:
                d.verdict = L7Verdict::kReject;
                return d;
            case HttpAction::kSetHeader:
                headers.set(rule.name, render(rule.value, conn));
                break;
            case HttpAction::kAddHeader:
                headers.add(rule.name, render(rule.value, conn));
                break;
            case HttpAction::kDelHeader:
                headers.remove(rule.name);
                break;
        }
    }
    for (const RedirectRule& r : redirects_) {
        if (r.cond.evaluate(req)) {
            d.verdict = L7Verdict::kRedirect;
            d.status = r.code;
            d.location = build_location(r, msg, headers);
            d.set_cookie = r.cookie;
            return d;
        }
    }
    for (const SwitchRule& s : switches_) {
        if (s.cond.evaluate(req)) {
            d.backend = s.backend;
            return d;
        }
    }
    d.backend = default_backend_;
    return d;
}

}  // namespace octane::proxy::http
