#include "networking/cidr.h"

#include <array>
#include <cstdint>
#include <cstring>

#include <arpa/inet.h>

#include "common/ipv6_text.h"

namespace octane::networking {
namespace {

Uint128 host_mask(int version, int prefix) {
    int bits = version == 4 ? 32 : 128;
    int host_bits = bits - prefix;
    if (host_bits >= 128) {
        return ~Uint128(0);
    }
    return (Uint128(1) << host_bits) - 1;
}

}  // namespace

Uint128 Cidr::last() const {
    return network | host_mask(version, prefix);
}

bool Cidr::contains(const IpAddress& address) const {
    return address.version == version && address.value >= first() && address.value <= last();
}

std::string Cidr::text() const {
    return format_ip({version, network}) + "/" + std::to_string(prefix);
}

std::optional<IpAddress> parse_ip(std::string_view text) {
    std::string s(text);
    if (s.find('%') != std::string::npos) {
        return std::nullopt;
    }
    unsigned char bytes[16];
    if (inet_pton(AF_INET, s.c_str(), bytes) == 1) {
        Uint128 v = 0;
        for (int i = 0; i < 4; ++i) {
            v = (v << 8) | bytes[i];
        }
        return IpAddress{4, v};
    }
    if (inet_pton(AF_INET6, s.c_str(), bytes) == 1) {
        Uint128 v = 0;
        for (int i = 0; i < 16; ++i) {
            v = (v << 8) | bytes[i];
        }
        return IpAddress{6, v};
    }
    return std::nullopt;
}

std::string format_ip(const IpAddress& address) {
    if (address.version == 4) {
        unsigned char bytes[4];
        char out[INET_ADDRSTRLEN];
        for (int i = 0; i < 4; ++i) {
            bytes[i] = static_cast<unsigned char>(address.value >> (8 * (3 - i)));
        }
        inet_ntop(AF_INET, bytes, out, sizeof(out));
        return out;
    }
    std::array<std::uint8_t, 16> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::uint8_t>(address.value >> (8 * (15 - i)));
    }
    return format_ipv6(bytes);
}

std::optional<Cidr> parse_cidr(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos || slash + 1 >= text.size()) {
        return std::nullopt;
    }
    auto address = parse_ip(text.substr(0, slash));
    if (!address) {
        return std::nullopt;
    }
    int prefix = 0;
    auto digits = text.substr(slash + 1);
    if (digits.size() > 3) {
        return std::nullopt;
    }
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        prefix = prefix * 10 + (c - '0');
    }
    int bits = address->version == 4 ? 32 : 128;
    if (prefix > bits) {
        return std::nullopt;
    }
    Cidr cidr{address->version, address->value & ~host_mask(address->version, prefix), prefix};
    if (address->version == 4) {
        cidr.network &= 0xffffffffu;
    }
    return cidr;
}

bool overlaps(const Cidr& a, const Cidr& b) {
    return a.version == b.version && a.first() <= b.last() && b.first() <= a.last();
}

}  // namespace octane::networking
