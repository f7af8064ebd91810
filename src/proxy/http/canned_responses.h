#pragma once

// The responses the proxy writes itself (errors, deny, redirects), byte-compatible with what
// HAProxy 2.6 sends, so clients and tests see the same thing from either engine. The bytes were
// captured from haproxy 2.6.12 on this host (see tests/unit/proxy/http/README.md); the 413, 500
// and 501 bodies follow HAProxy's built-in pages in the same shape.

#include <string>
#include <string_view>

namespace octane::proxy::http {

// Complete response for a status HAProxy has a built-in page for (200, 400, 401, 403, 404, 405,
// 407, 408, 410, 413, 422, 425, 429, 500, 501, 502, 503, 504: the codes `http-request deny
// deny_status` accepts, see is_deny_status()); other statuses get an empty page of the same shape.
// This is the form HAProxy uses for deny, 502/503/504: lowercase headers; "connection: close" for
// 400 and 408, and for any status when `close` (HTTP/1.0 client, or the connection ends).
std::string error_response(int status, bool close = false);

// The form HAProxy's H1 layer uses when the request could not even be parsed (400, 408 on a
// partial or absent request, 413, 501): capitalized headers and "Connection: close".
std::string protocol_error_response(int status);

// Statuses `http-request deny deny_status` accepts in HAProxy 2.6 (others are config errors).
bool is_deny_status(int status);

// A redirect as HAProxy's `redirect` writes it: empty body, Location, and cache-control: no-cache
// for the non-permanent codes (302, 303, 307). `set_cookie` (may be empty) adds a Set-Cookie.
std::string redirect_response(int code, std::string_view location, std::string_view set_cookie,
                              bool close = false);

// The interim response a proxy may send itself to "Expect: 100-continue".
inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view reason_phrase(int status);

}  // namespace octane::proxy::http
