#pragma once

// Addresses and prefixes as 128-bit numbers (IPv4 in the low 32 bits), for IPAM arithmetic. Pure.

#include <optional>
#include <string>
#include <string_view>

namespace octane::networking {

__extension__ typedef unsigned __int128 Uint128;

struct IpAddress {
    int version = 4;
    Uint128 value = 0;

    bool operator==(const IpAddress&) const = default;
};

struct Cidr {
    int version = 4;
    Uint128 network = 0;  // host bits cleared
    int prefix = 0;

    Uint128 first() const { return network; }
    Uint128 last() const;
    bool contains(const IpAddress& address) const;
    std::string text() const;
};

std::optional<IpAddress> parse_ip(std::string_view text);
std::string format_ip(const IpAddress& address);
// "10.0.0.5/24" -> 10.0.0.0/24 (host bits cleared); nullopt when malformed.
std::optional<Cidr> parse_cidr(std::string_view text);
// True when the two prefixes share any address.
bool overlaps(const Cidr& a, const Cidr& b);

}  // namespace octane::networking
