#pragma once

// Octavia's URL checks (octavia.common.validate url / url_path over the rfc3986 library), pure:
// what redirect_url, redirect_prefix and a health monitor's url_path may hold.

#include <string_view>

namespace octane::model {

// An absolute http(s) URL: no control character, space or C1 control anywhere (Octavia refuses
// them before parsing, as they would reach haproxy.cfg), scheme "http" or "https", a host, and an
// authority and path made of RFC 3986 characters. Query and fragment are not checked further, as
// in Octavia: the renderer writes them escaped.
bool is_valid_url(std::string_view url);

// A URL path: starts with '/', no whitespace or control character, no scheme or authority, path
// characters of RFC 3986.
bool is_valid_url_path(std::string_view path);

}  // namespace octane::model
