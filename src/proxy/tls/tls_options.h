#pragma once

// Pure translations of config::TlsOptions into what OpenSSL takes.

#include <string>
#include <string_view>

#include "common/result.h"
#include "proxy/config/model.h"

namespace octane::proxy::tls {

// The allowed protocol range, as OpenSSL version numbers (TLS1_2_VERSION...). Without
// ssl-min-ver and no-* options the minimum is TLSv1.2, HAProxy 2.6's default; no-* options
// alone narrow the whole range (TLSv1.0..TLSv1.3; OpenSSL 3 has no SSLv3). Refuses an empty
// range.
struct VersionRange {
    int min = 0, max = 0;
};
Result<VersionRange> version_range(const config::TlsOptions& t);

// `alpn h2,http/1.1,http/1.0` in ALPN wire format (length-prefixed names), without "h2": the
// engine speaks HTTP/1.x only, so announcing or accepting h2 would break the connection.
std::string alpn_wire(std::string_view comma_list);

}  // namespace octane::proxy::tls
