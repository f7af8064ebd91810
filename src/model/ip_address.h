#pragma once

// IP and CIDR text handling for validation (pure; inet_pton does no I/O).

#include <optional>
#include <string>

namespace octane::model {

// True for an IPv4 or IPv6 literal (no zone index). Octavia's API validates address fields this
// way and then keeps the text as given, so "2001:db8:0:0:0:0:0:1" is echoed unchanged.
bool is_ip_literal(const std::string& text);
// 4 or 6 for an address or a CIDR ("2001:db8::/32"), 0 for anything else.
int ip_version(const std::string& text);
// "10.0.0.1/8" -> "10.0.0.0/8" (strict=False, as Octavia), IPv6 in RFC 5952 form
// ("2001:0db8:0:0::1/32" -> "2001:db8::/32"); nullopt when malformed.
std::optional<std::string> normalize_cidr(const std::string& text);
// True when address (a literal) lies inside cidr.
bool cidr_contains(const std::string& cidr, const std::string& address);

}  // namespace octane::model
