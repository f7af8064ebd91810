#pragma once

// IP address management over a subnet's allocation pools (pure): default gateway and pools as
// Neutron computes them, pool validation, and the next free address given the ones in use.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "networking/cidr.h"

namespace octane::networking {

struct AddressRange {
    Uint128 start = 0, end = 0;  // inclusive
};

// Neutron: the first host address (network + 1).
IpAddress default_gateway(const Cidr& cidr);

// Every usable address except the gateway: IPv4 drops network and broadcast (for prefixes < 31),
// IPv6 drops the subnet-router anycast address.
std::vector<AddressRange> default_pools(const Cidr& cidr, const std::optional<IpAddress>& gateway);

// Pools given by the user ({"start","end"} texts): inside the CIDR, start <= end, no overlap,
// not containing the gateway. Error::code 400 with Neutron's wording.
Result<std::vector<AddressRange>> parse_pools(
    const Cidr& cidr, const std::vector<std::pair<std::string, std::string>>& pools,
    const std::optional<IpAddress>& gateway);

// The lowest address of the pools not in `used` (sorted ascending), or nullopt when exhausted.
std::optional<Uint128> next_free(const std::vector<AddressRange>& pools,
                                 const std::vector<Uint128>& used_sorted);

bool in_pools(const std::vector<AddressRange>& pools, Uint128 value);

}  // namespace octane::networking
