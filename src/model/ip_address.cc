#include "model/ip_address.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include <arpa/inet.h>

#include "common/ipv6_text.h"

namespace octane::model {
namespace {

struct Parsed {
    int family = 0;
    std::array<unsigned char, 16> bytes{};
};

std::optional<Parsed> parse(const std::string& text) {
    Parsed p;
    if (text.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, text.c_str(), p.bytes.data()) == 1) {
            p.family = AF_INET;
            return p;
        }
        return std::nullopt;
    }
    if (inet_pton(AF_INET6, text.c_str(), p.bytes.data()) == 1) {
        p.family = AF_INET6;
        return p;
    }
    return std::nullopt;
}

std::string format(const Parsed& p) {
    if (p.family == AF_INET6) {
        std::array<std::uint8_t, 16> bytes{};
        std::copy(p.bytes.begin(), p.bytes.end(), bytes.begin());
        return format_ipv6(bytes);
    }
    char out[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, p.bytes.data(), out, sizeof out);
    return out;
}

void mask(Parsed& p, int prefix) {
    int total = p.family == AF_INET ? 4 : 16;
    for (int i = 0; i < total; ++i) {
        int bits = std::max(0, std::min(8, prefix - i * 8));
        p.bytes[static_cast<size_t>(i)] &=
            static_cast<unsigned char>(bits == 0 ? 0 : 0xff << (8 - bits));
    }
}

}  // namespace

bool is_ip_literal(const std::string& text) {
    return parse(text).has_value();
}

int ip_version(const std::string& text) {
    size_t slash = text.find('/');
    auto p = parse(text.substr(0, slash));
    return !p ? 0 : p->family == AF_INET ? 4 : 6;
}

std::optional<std::string> normalize_cidr(const std::string& text) {
    size_t slash = text.find('/');
    std::string address = text.substr(0, slash);
    auto p = parse(address);
    if (!p) {
        return std::nullopt;
    }
    int limit = p->family == AF_INET ? 32 : 128;
    int prefix = limit;
    if (slash != std::string::npos) {
        std::string digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
            return std::nullopt;
        }
        prefix = std::stoi(digits);
        if (prefix > limit) {
            return std::nullopt;
        }
    }
    mask(*p, prefix);
    return format(*p) + "/" + std::to_string(prefix);
}

bool cidr_contains(const std::string& cidr, const std::string& address) {
    size_t slash = cidr.find('/');
    auto net = parse(cidr.substr(0, slash));
    auto ip = parse(address);
    if (!net || !ip || net->family != ip->family) {
        return false;
    }
    int prefix = slash == std::string::npos ? (net->family == AF_INET ? 32 : 128)
                                            : std::stoi(cidr.substr(slash + 1));
    mask(*ip, prefix);
    mask(*net, prefix);
    return ip->bytes == net->bytes;
}

}  // namespace octane::model
