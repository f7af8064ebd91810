#include "proxy/tls/tls_options.h"

#include <openssl/ssl.h>

namespace octane::proxy::tls {
namespace {

constexpr int kOpenSslVersion[] = {SSL3_VERSION, TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION,
                                   TLS1_3_VERSION};

}  // namespace

Result<VersionRange> version_range(const config::TlsOptions& t) {
    int lo = t.min_ver >= 0 ? t.min_ver : (t.no_versions != 0 ? 1 : 3);
    int hi = t.max_ver >= 0 ? t.max_ver : 4;
    while (lo <= hi && (t.no_versions & (1u << lo)) != 0) {
        ++lo;
    }
    while (hi >= lo && (t.no_versions & (1u << hi)) != 0) {
        --hi;
    }
    if (lo > hi) {
        return make_error("no TLS protocol version is left enabled");
    }
    return VersionRange{kOpenSslVersion[lo], kOpenSslVersion[hi]};
}

std::string alpn_wire(std::string_view list) {
    std::string out;
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string_view name = list.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (!name.empty() && name != "h2" && name.size() < 256) {
            out.push_back(static_cast<char>(name.size()));
            out.append(name);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

}  // namespace octane::proxy::tls
