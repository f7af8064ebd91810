#include "proxy/peers/table_key.h"

#include <charconv>
#include <cstring>

#include <arpa/inet.h>

namespace octane::proxy::peers {

std::optional<TableDefinition> definition_for(const std::string& backend,
                                              const config::StickTable& table) {
    TableDefinition d;
    d.name = backend;
    // `stick on`/`stick match` tables carry both, as HAProxy 2.6 allocates them.
    d.data_types = (1ULL << kDataServerId) | (1ULL << kDataServerKey);
    if (table.type == "ip") {
        d.key_type = KeyType::kIpv4;
        d.key_len = 4;
    } else if (table.type == "ipv6") {
        d.key_type = KeyType::kIpv6;
        d.key_len = 16;
    } else if (table.type == "integer") {
        d.key_type = KeyType::kSint;
        d.key_len = 4;
    } else if (table.type == "string") {
        d.key_type = KeyType::kString;
        d.key_len = static_cast<uint64_t>(table.len > 0 ? table.len : 32) + 1;  // + the NUL
    } else {
        return std::nullopt;
    }
    return d;
}

std::optional<std::string> wire_key(KeyType type, std::string_view key) {
    std::string text(key);
    switch (type) {
        case KeyType::kIpv4: {
            in_addr a{};
            if (inet_pton(AF_INET, text.c_str(), &a) == 1) {
                return std::string(reinterpret_cast<const char*>(&a), 4);
            }
            in6_addr a6{};
            static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
            if (inet_pton(AF_INET6, text.c_str(), &a6) == 1 &&
                std::memcmp(a6.s6_addr, kMapped, 12) == 0) {
                return std::string(reinterpret_cast<const char*>(a6.s6_addr) + 12, 4);
            }
            return std::nullopt;
        }
        case KeyType::kIpv6: {
            in6_addr a6{};
            if (inet_pton(AF_INET6, text.c_str(), &a6) == 1) {
                return std::string(reinterpret_cast<const char*>(a6.s6_addr), 16);
            }
            in_addr a{};
            if (inet_pton(AF_INET, text.c_str(), &a) == 1) {
                std::string mapped(10, '\0');
                mapped += "\xff\xff";
                mapped.append(reinterpret_cast<const char*>(&a), 4);
                return mapped;
            }
            return std::nullopt;
        }
        case KeyType::kSint: {
            int64_t v = 0;
            auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), v);
            if (ec != std::errc() || p != key.data() + key.size()) {
                return std::nullopt;
            }
            uint32_t u = static_cast<uint32_t>(v);
            char b[4] = {static_cast<char>(u >> 24), static_cast<char>(u >> 16),
                         static_cast<char>(u >> 8), static_cast<char>(u)};
            return std::string(b, 4);
        }
        case KeyType::kString:
            return text;
        default:
            return std::nullopt;
    }
}

std::optional<std::string> engine_key(KeyType type, std::string_view wire) {
    char buf[INET6_ADDRSTRLEN] = {};
    switch (type) {
        case KeyType::kIpv4:
            if (wire.size() != 4 || !inet_ntop(AF_INET, wire.data(), buf, sizeof buf)) {
                return std::nullopt;
            }
            return std::string(buf);
        case KeyType::kIpv6:
            if (wire.size() != 16) {
                return std::nullopt;
            }
            // An IPv4 client's key in an ipv6 table: the engine names it in dotted form.
            if (wire.substr(0, 12) == std::string_view("\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)) {
                return engine_key(KeyType::kIpv4, wire.substr(12));
            }
            if (!inet_ntop(AF_INET6, wire.data(), buf, sizeof buf)) {
                return std::nullopt;
            }
            return std::string(buf);
        case KeyType::kSint: {
            if (wire.size() != 4) {
                return std::nullopt;
            }
            auto u = [&wire](size_t i) {
                return static_cast<uint32_t>(static_cast<uint8_t>(wire[i]));
            };
            return std::to_string(static_cast<int32_t>(u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3)));
        }
        case KeyType::kString:
            return std::string(wire.substr(0, wire.find('\0')));
        default:
            return std::nullopt;
    }
}

}  // namespace octane::proxy::peers
