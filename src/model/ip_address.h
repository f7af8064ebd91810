#pragma once

// IP and CIDR text handling for validation (pure; inet_pton does no I/O).

#include <optional>
#include <string>

namespace octane::model {

// Canonical text of an IPv4/IPv6 literal, or nullopt when it is not one.
std::optional<std::string> normalize_ip(const std::string& text);
bool is_ipv6(const std::string& text);
// "10.0.0.1/8" -> "10.0.0.0/8" (strict=False, as Octavia); nullopt when malformed.
std::optional<std::string> normalize_cidr(const std::string& text);
// True when address (a literal) lies inside cidr.
bool cidr_contains(const std::string& cidr, const std::string& address);

}  // namespace octane::model
