#pragma once

// The balancing algorithm, one type from `balance <name>` in the config to the `algo` column of
// `show stat`: the parser reads the name from the same table stats print it from.

#include <cstdint>
#include <optional>
#include <string_view>

namespace octane::proxy::balance {

// `balance source` and `balance hash <expr>` share the hash balancers and differ only in the key
// (runtime/pick_keys.h); HashType chooses between map-based and consistent for both.
enum class Algorithm : uint8_t { kRoundRobin, kLeastConn, kSource, kHash, kFirst };
enum class HashType : uint8_t { kMapBased, kConsistent };

// The keyword HAProxy uses for the algorithm ("roundrobin", "leastconn", ...).
std::string_view name_of(Algorithm a);
std::optional<Algorithm> algorithm_named(std::string_view name);
// "roundrobin, leastconn, source, hash, first": for messages that list the supported ones.
std::string_view algorithm_names();

std::string_view name_of(HashType t);
std::optional<HashType> hash_type_named(std::string_view name);

}  // namespace octane::proxy::balance
