// Cross-option checks of the TLS options of bind and server lines (HAProxy 2.6's refusals, and
// what the engine does not serve yet). The files themselves are read by proxy/tls/.

#include "proxy/config/tls_checks.h"

namespace octane::proxy::config {
namespace {

void check_bind(const ProxySection& p, const BindLine& b, Diagnostics& diag) {
    const TlsOptions& t = b.tls;
    const std::string where = "'bind " + b.endpoint.to_string() + "' ";
    if (!t.ssl) {
        if (!t.crt_list.empty() || !t.crts.empty()) {
            diag.warning(b.loc, where + "names certificates but has no 'ssl': they are unused");
        }
        return;
    }
    if (t.crt_list.empty() && t.crts.empty()) {
        diag.error(b.loc, where + "has 'ssl' but no certificate ('crt' or 'crt-list')");
    }
    if (p.mode != Mode::kHttp) {
        diag.error(b.loc, where + ": TLS termination in 'mode tcp' is not supported yet");
    }
    bool verifies = t.verify == TlsVerify::kOptional || t.verify == TlsVerify::kRequired;
    if (verifies && t.ca_file.empty()) {
        diag.error(b.loc, where + ": verify is enabled but no CA file specified");
    }
}

void check_server(const ServerLine& s, Diagnostics& diag) {
    const TlsOptions& t = s.tls;
    const std::string where = "'server " + s.name + "' ";
    // As HAProxy: verification is on unless 'verify none', and then needs the CA.
    bool uses_tls = t.ssl || (s.check && s.check_ssl);
    if (uses_tls && t.verify != TlsVerify::kNone && t.ca_file.empty()) {
        diag.error(s.loc, where +
                              ": verify is enabled by default but no CA file specified; set "
                              "'verify none' to trust any server certificate");
    }
}

}  // namespace

void check_tls(const ProxySection& p, Diagnostics& diag) {
    if (p.has_frontend()) {
        for (const BindLine& b : p.binds) {
            check_bind(p, b, diag);
        }
    }
    if (p.has_backend()) {
        for (const ServerLine& s : p.servers) {
            check_server(s, diag);
        }
    }
}

}  // namespace octane::proxy::config
