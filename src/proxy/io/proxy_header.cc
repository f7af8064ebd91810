#include "proxy/io/proxy_header.h"

#include <cstdio>
#include <cstring>

namespace octane::proxy {

size_t write_proxy_v1(const Endpoint& src, const Endpoint& dst, char* out, size_t cap) {
    int n = 0;
    if (src.family() != dst.family() || (src.family() != AF_INET && src.family() != AF_INET6)) {
        n = std::snprintf(out, cap, "PROXY UNKNOWN\r\n");
    } else {
        n = std::snprintf(out, cap, "PROXY %s %s %s %u %u\r\n",
                          src.family() == AF_INET ? "TCP4" : "TCP6", src.host_string().c_str(),
                          dst.host_string().c_str(), src.port(), dst.port());
    }
    return n < 0 ? 0 : static_cast<size_t>(n) < cap ? static_cast<size_t>(n) : cap - 1;
}

size_t write_proxy_v2(const Endpoint& src, const Endpoint& dst, char* out, size_t cap) {
    static const unsigned char kSig[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                           0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    if (cap < 52) {
        return 0;
    }
    std::memcpy(out, kSig, sizeof(kSig));
    out[12] = 0x21;  // version 2, PROXY command
    size_t len = 0;
    unsigned char* p = reinterpret_cast<unsigned char*>(out) + 16;
    if (src.family() == AF_INET && dst.family() == AF_INET) {
        out[13] = 0x11;  // TCP over IPv4
        auto* s = reinterpret_cast<const sockaddr_in*>(&src.storage);
        auto* d = reinterpret_cast<const sockaddr_in*>(&dst.storage);
        std::memcpy(p, &s->sin_addr, 4);
        std::memcpy(p + 4, &d->sin_addr, 4);
        std::memcpy(p + 8, &s->sin_port, 2);
        std::memcpy(p + 10, &d->sin_port, 2);
        len = 12;
    } else if (src.family() == AF_INET6 && dst.family() == AF_INET6) {
        out[13] = 0x21;  // TCP over IPv6
        auto* s = reinterpret_cast<const sockaddr_in6*>(&src.storage);
        auto* d = reinterpret_cast<const sockaddr_in6*>(&dst.storage);
        std::memcpy(p, &s->sin6_addr, 16);
        std::memcpy(p + 16, &d->sin6_addr, 16);
        std::memcpy(p + 32, &s->sin6_port, 2);
        std::memcpy(p + 34, &d->sin6_port, 2);
        len = 36;
    } else {
        out[12] = 0x20;  // LOCAL command, no address
        out[13] = 0x00;
    }
    out[14] = static_cast<char>((len >> 8) & 0xff);
    out[15] = static_cast<char>(len & 0xff);
    return 16 + len;
}

}  // namespace octane::proxy
