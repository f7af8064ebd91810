#pragma once

#include "proxy/peers/wire.h"

namespace octane::proxy::peers {

// A `stick-table type ip` table as HAProxy 2.6 announces it for `stick on src`.
inline TableDefinition ip_table(uint64_t id = 1, std::string name = "pool") {
    TableDefinition t;
    t.id = id;
    t.name = std::move(name);
    t.key_type = KeyType::kIpv4;
    t.key_len = 4;
    t.data_types = (1ULL << kDataServerId) | (1ULL << kDataServerKey);
    return t;
}

}  // namespace octane::proxy::peers
