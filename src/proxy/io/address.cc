#include "proxy/io/address.h"

#include <charconv>
#include <cstring>

#include <arpa/inet.h>

namespace octane::proxy {

uint16_t Endpoint::port() const {
    if (family() == AF_INET) {
        return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
    }
    if (family() == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
    }
    return 0;
}

void Endpoint::set_port(uint16_t port) {
    if (family() == AF_INET) {
        reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
    } else if (family() == AF_INET6) {
        reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
    }
}

std::string Endpoint::host_string() const {
    char buf[INET6_ADDRSTRLEN] = {0};
    if (family() == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, buf,
                  sizeof(buf));
    } else if (family() == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, buf,
                  sizeof(buf));
    }
    return buf;
}

std::string Endpoint::to_string() const {
    if (family() == AF_INET6) {
        return "[" + host_string() + "]:" + std::to_string(port());
    }
    return host_string() + ":" + std::to_string(port());
}

Result<Endpoint> parse_ip(std::string_view text) {
    Endpoint ep;
    std::string host(text);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host.empty() || host == "*" || host == "0.0.0.0") {
        auto* in = reinterpret_cast<sockaddr_in*>(&ep.storage);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_ANY);
        ep.length = sizeof(sockaddr_in);
        return ep;
    }
    auto* in = reinterpret_cast<sockaddr_in*>(&ep.storage);
    if (inet_pton(AF_INET, host.c_str(), &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        ep.length = sizeof(sockaddr_in);
        return ep;
    }
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ep.storage);
    if (inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        ep.length = sizeof(sockaddr_in6);
        return ep;
    }
    return make_error("invalid address '" + std::string(text) + "'");
}

Result<Endpoint> parse_endpoint(std::string_view text, bool port_optional) {
    if (text.empty()) {
        return make_error("missing address");
    }
    // A bare IPv6 literal ("::1") has colons but no port; try it whole first when allowed.
    if (port_optional) {
        auto whole = parse_ip(text);
        if (whole && (whole->family() == AF_INET6 || text.find(':') == text.npos)) {
            return whole;
        }
    }
    size_t colon = text.rfind(':');
    if (colon == text.npos) {
        return make_error("missing port in '" + std::string(text) + "'");
    }
    std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535 ||
        port_text.empty()) {
        return make_error("invalid port in '" + std::string(text) + "'");
    }
    auto host = parse_ip(text.substr(0, colon));
    if (!host) {
        return host;
    }
    host->set_port(static_cast<uint16_t>(port));
    return host;
}

Endpoint endpoint_from(const sockaddr* sa, socklen_t len) {
    Endpoint ep;
    if (len > sizeof(ep.storage)) {
        len = sizeof(ep.storage);
    }
    std::memcpy(&ep.storage, sa, len);
    ep.length = len;
    return ep;
}

}  // namespace octane::proxy
