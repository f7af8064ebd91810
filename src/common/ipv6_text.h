#pragma once

// The one text form of an IPv6 address the API and the networking surface return: RFC 5952
// (lowercase hex, no leading zeros, the longest run of two or more zero groups as "::", the first
// such run on a tie), always in hex groups, as Python's ipaddress and Neutron print it (no dotted
// IPv4 tail, so ::ffff:192.0.2.1 reads ::ffff:c000:201). Pure.

#include <array>
#include <cstdint>
#include <string>

namespace octane {

std::string format_ipv6(const std::array<std::uint8_t, 16>& bytes);

}  // namespace octane
