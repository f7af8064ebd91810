// FrontendView -> `frontend` section text.

#include <algorithm>

#include "render/emit.h"
#include "render/escape.h"

namespace octane::render {
namespace {

std::string strip(const std::string& s) {
    size_t b = s.find_first_not_of(' ');
    if (b == std::string::npos) {
        return "";
    }
    return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// Octavia joins "crt ca crl ciphers<versions> alpn" with single spaces and strips the ends, so
// absent middle options leave runs of spaces (the corpus' triple space after crt-list).
std::string bind_options(const BindView& b) {
    std::string crt = b.crt_list.empty() ? "" : "ssl crt-list " + escape_word(b.crt_list);
    std::string ca = b.ca_file.empty()
                         ? ""
                         : "ca-file " + escape_word(b.ca_file) + " verify " + escape_word(b.verify);
    std::string crl =
        (b.crl_file.empty() || b.ca_file.empty()) ? "" : "crl-file " + escape_word(b.crl_file);
    std::string ciphers = b.ciphers ? "ciphers " + escape_word(*b.ciphers) : "";
    std::string versions = b.tls_versions ? no_tls_options(*b.tls_versions) : "";
    std::string alpn = b.alpn ? "alpn " + escape_word(*b.alpn) : "";
    return strip(crt + " " + ca + " " + crl + " " + ciphers + versions + " " + alpn);
}

std::string acl_line(const AclView& a) {
    std::string line = "        acl " + escape_word(a.rule_id) + " ";
    // A pattern that starts with '-' would be read as one more flag (`-i`, `-f <file>`); `--`
    // ends the flags, as HAProxy asks for such patterns.
    std::string end_of_flags = !a.value.empty() && a.value[0] == '-' ? " --" : "";
    std::string tail = " " + a.match + end_of_flags + " " + escape_word(a.value);
    switch (a.fetch) {
        case AclFetch::kHost:
            return line + "req.hdr(host) -i" + tail;
        case AclFetch::kPath:
            return line + "path" + tail;
        case AclFetch::kPathEnd:
            return line + "path_end" + tail;
        case AclFetch::kHeader:
            return line + "req.hdr(" + escape_word(a.key) + ")" + tail;
        case AclFetch::kCookie:
            return line + "req.cook(" + escape_word(a.key) + ")" + tail;
        case AclFetch::kSslHasCert:
            return line + "ssl_c_used";
        case AclFetch::kSslVerify:
            return line + "ssl_c_verify eq " + escape_word(a.value);
        case AclFetch::kSslDn:
            return line + "ssl_c_s_dn(" + escape_word(a.key) + ")" + tail;
    }
    return line;
}

void emit_policy(const PolicyView& p, std::string& out) {
    for (const AclView& acl : p.acls) {
        out += acl_line(acl) + "\n";
    }
    std::string cond = " if";
    for (const auto& [invert, id] : p.condition) {
        cond += std::string(" ") + (invert ? "!" : "") + escape_word(id);
    }
    std::string code = p.redirect_code ? " code " + std::to_string(p.redirect_code) : "";
    switch (p.action) {
        case PolicyView::Action::kReject:
            out += "    http-request deny" + cond + "\n";
            break;
        case PolicyView::Action::kRedirectUrl:
            out += "    redirect" + code + " location " + escape_word(p.target) + cond + "\n";
            break;
        case PolicyView::Action::kRedirectPrefix:
            out += "    redirect" + code + " prefix " + escape_word(p.target) + cond + "\n";
            break;
        case PolicyView::Action::kUseBackend:
            out += "    use_backend " + escape_word(p.target) + cond + "\n";
            break;
        case PolicyView::Action::kNone:
            break;
    }
}

}  // namespace

std::string no_tls_options(const std::vector<std::string>& allowed) {
    static const std::pair<const char*, const char*> kVersions[] = {
        {"SSLv3", " no-sslv3"},    {"TLSv1", " no-tlsv10"},   {"TLSv1.1", " no-tlsv11"},
        {"TLSv1.2", " no-tlsv12"}, {"TLSv1.3", " no-tlsv13"},
    };
    std::string out;
    for (const auto& [version, option] : kVersions) {
        if (std::find(allowed.begin(), allowed.end(), version) == allowed.end()) {
            out += option;
        }
    }
    return out;
}

void emit_frontend(const FrontendView& f, std::string& out) {
    out += "frontend " + escape_word(f.listener_id) + "\n";
    out += "    maxconn " + std::to_string(f.maxconn) + "\n";
    if (f.redirect_https) {
        out += "    redirect scheme https if !{ ssl_fc }\n";
    }
    if (!f.hsts.empty()) {
        // Built from numbers and fixed words only (transform.cc), so written as is.
        out += "    http-response set-header Strict-Transport-Security \"" + f.hsts + "\"\n";
    }
    for (const BindView& b : f.binds) {
        std::string options = bind_options(b);
        out += "    bind " + escape_word(b.address) + ":" + std::to_string(b.port) +
               (options.empty() ? "" : " " + options) + "\n";
    }
    out += "    mode " + f.mode + "\n";
    for (const PolicyView& p : f.policies) {
        emit_policy(p, out);
    }
    if (!f.default_backend.empty()) {
        out += "    default_backend " + escape_word(f.default_backend) + "\n";
    }
    out += "    timeout client " + std::to_string(f.timeout_client) + "\n";
    if (f.tcp_inspect_delay) {
        out += "    tcp-request inspect-delay " + std::to_string(f.tcp_inspect_delay) + "\n";
    }
    if (f.prometheus_backend) {
        out += "    default_backend prometheus-exporter-internal\n";
    }
    if (!f.log_format.empty()) {
        out += "    log-format " + escape_word(f.log_format) + "\n";
    }
}

}  // namespace octane::render
