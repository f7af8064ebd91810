#include "model/ip_address.h"

#include <array>
#include <cstring>

#include <arpa/inet.h>

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
    char out[INET6_ADDRSTRLEN] = {};
    inet_ntop(p.family, p.bytes.data(), out, sizeof out);
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

std::optional<std::string> normalize_ip(const std::string& text) {
    auto p = parse(text);
    if (!p) {
        return std::nullopt;
    }
    return format(*p);
}

bool is_ipv6(const std::string& text) {
    auto p = parse(text);
    return p && p->family == AF_INET6;
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
