#pragma once

// Socket addresses as haproxy.cfg writes them: "1.2.3.4:80", "2001:db8::1:80" (the last colon
// separates the port, no brackets needed), "[::1]:80", "*:80", ":80", "::1" (no port).

#include <cstdint>
#include <string>
#include <string_view>

#include <netinet/in.h>
#include <sys/socket.h>

#include "common/result.h"

namespace octane::proxy {

struct Endpoint {
    sockaddr_storage storage{};
    socklen_t length = 0;

    int family() const { return storage.ss_family; }
    const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&storage); }
    uint16_t port() const;
    void set_port(uint16_t port);
    // "1.2.3.4" / "2001:db8::1", without the port.
    std::string host_string() const;
    // "1.2.3.4:80" / "[2001:db8::1]:80".
    std::string to_string() const;
};

// Parses an IP literal without a port.
Result<Endpoint> parse_ip(std::string_view text);

// Parses "host:port". With `port_optional`, a bare address yields port 0.
Result<Endpoint> parse_endpoint(std::string_view text, bool port_optional = false);

// Builds an Endpoint from a kernel-filled sockaddr.
Endpoint endpoint_from(const sockaddr* sa, socklen_t len);

}  // namespace octane::proxy
