// The TLS options of `bind` and `server` lines (HAProxy 2.6 names). Files are only named here;
// proxy/tls/tls_context.cc reads them.

#include <string_view>

#include "proxy/config/line_context.h"

namespace octane::proxy::config {
namespace {

// HAProxy's protocol names for ssl-min-ver / ssl-max-ver, index = bit of TlsOptions::no_versions.
constexpr std::string_view kVersionNames[] = {"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
constexpr std::string_view kNoVersion[] = {"no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12",
                                           "no-tlsv13"};

int version_index(std::string_view name) {
    for (int i = 0; i < 5; ++i) {
        if (kVersionNames[i] == name) {
            return i;
        }
    }
    return -1;
}

}  // namespace

// Returns false when words[i] is not a TLS option; true when it was consumed (with its value, i
// moved past it), errors reported through ctx.
bool parse_tls_option(const LineContext& ctx, size_t& i, TlsOptions& t, bool bind) {
    const auto& w = ctx.words;
    const std::string& o = w[i];
    auto value = [&](std::string& out) {
        if (i + 1 >= w.size()) {
            ctx.error("'" + w[0] + "' option '" + o + "' expects an argument");
            return false;
        }
        out = w[++i];
        return true;
    };
    std::string v;
    if (o == "ssl") {
        t.ssl = true;
    } else if (o == "crt-list" && bind) {
        value(t.crt_list);
    } else if (o == "crt") {
        if (value(v)) {
            t.crts.push_back(v);
        }
    } else if (o == "ca-file") {
        value(t.ca_file);
    } else if (o == "crl-file") {
        value(t.crl_file);
    } else if (o == "verify") {
        if (value(v)) {
            if (v == "none") {
                t.verify = TlsVerify::kNone;
            } else if (v == "required") {
                t.verify = TlsVerify::kRequired;
            } else if (v == "optional" && bind) {
                t.verify = TlsVerify::kOptional;
            } else {
                ctx.error("'" + w[0] + "' option 'verify' expects " +
                          (bind ? "'none', 'optional' or 'required'" : "'none' or 'required'") +
                          ", got '" + v + "'");
            }
        }
    } else if (o == "ciphers") {
        value(t.ciphers);
    } else if (o == "ciphersuites") {
        value(t.ciphersuites);
    } else if (o == "alpn") {
        value(t.alpn);
    } else if (o == "sni" && !bind) {
        if (value(v)) {
            // The expression is evaluated per connection (l7/http_server_side.cc); only the forms
            // Octavia renders and a constant are known.
            if (v != "ssl_fc_sni" && !(v.starts_with("str(") && v.ends_with(")"))) {
                ctx.error("'server' option 'sni' expression '" + v +
                          "' is not supported yet (only ssl_fc_sni and str(<name>))");
            }
            t.sni = v;
        }
    } else if (o == "ssl-min-ver" || o == "ssl-max-ver") {
        if (value(v)) {
            int idx = version_index(v);
            if (idx < 0) {
                ctx.error("'" + w[0] + "' option '" + o + "' expects one of SSLv3, TLSv1.0, " +
                          "TLSv1.1, TLSv1.2, TLSv1.3, got '" + v + "'");
            } else {
                (o == "ssl-min-ver" ? t.min_ver : t.max_ver) = idx;
            }
        }
    } else {
        for (unsigned b = 0; b < 5; ++b) {
            if (o == kNoVersion[b]) {
                t.no_versions |= 1u << b;
                return true;
            }
        }
        return false;
    }
    return true;
}

}  // namespace octane::proxy::config
