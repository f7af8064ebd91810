#pragma once

// Between the engine's stick-table keys (text: "10.0.0.5", "2001:db8::1", a cookie value, a
// decimal integer) and the peers protocol's key bytes for a table of a given `stick-table type`.

#include <optional>
#include <string>
#include <string_view>

#include "proxy/config/model.h"
#include "proxy/peers/wire.h"

namespace octane::proxy::peers {

// The wire definition of a backend's table (name = the backend's name, as HAProxy announces it);
// nullopt for a type we do not replicate.
std::optional<TableDefinition> definition_for(const std::string& backend,
                                              const config::StickTable& table);

// nullopt when the key does not fit the table (an IPv6 client in a `type ip` table).
std::optional<std::string> wire_key(KeyType type, std::string_view key);
std::optional<std::string> engine_key(KeyType type, std::string_view wire);

}  // namespace octane::proxy::peers
