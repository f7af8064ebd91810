#pragma once

// Splits an http:// or https:// URL (an OpenStack endpoint such as [keystone_authtoken] auth_url)
// into what a client dials. Pure.

#include <cstdint>
#include <string>

#include "common/result.h"

namespace octane::http {

struct HttpUrl {
    bool tls = false;   // https://
    std::string host;   // name or address, IPv6 without brackets
    uint16_t port = 0;  // from the URL, else 80 / 443
    std::string path;   // without a trailing '/', "" for the root
};

// Fails on other schemes, an empty host, a bad port, or a query/fragment (endpoints have none).
Result<HttpUrl> parse_http_url(const std::string& url);

}  // namespace octane::http
