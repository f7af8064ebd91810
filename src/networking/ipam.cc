#include "networking/ipam.h"

#include <algorithm>

namespace octane::networking {

IpAddress default_gateway(const Cidr& cidr) {
    return {cidr.version, cidr.first() + 1};
}

std::vector<AddressRange> default_pools(const Cidr& cidr, const std::optional<IpAddress>& gateway) {
    Uint128 start = cidr.first();
    Uint128 end = cidr.last();
    int bits = cidr.version == 4 ? 32 : 128;
    if (bits - cidr.prefix >= 2) {
        start += 1;  // network address (v4) / subnet-router anycast (v6)
        if (cidr.version == 4) {
            end -= 1;  // broadcast
        }
    }
    std::vector<AddressRange> pools;
    if (gateway && gateway->value >= start && gateway->value <= end) {
        if (gateway->value > start) {
            pools.push_back({start, gateway->value - 1});
        }
        if (gateway->value < end) {
            pools.push_back({gateway->value + 1, end});
        }
    } else if (start <= end) {
        pools.push_back({start, end});
    }
    return pools;
}

Result<std::vector<AddressRange>> parse_pools(
    const Cidr& cidr, const std::vector<std::pair<std::string, std::string>>& given,
    const std::optional<IpAddress>& gateway) {
    std::vector<AddressRange> pools;
    for (const auto& [start_text, end_text] : given) {
        auto start = parse_ip(start_text);
        auto end = parse_ip(end_text);
        if (!start || !end || start->version != cidr.version || end->version != cidr.version) {
            return make_error("Invalid input for allocation_pools. Reason: '" + start_text + "-" +
                                  end_text + "' is not a valid IP range.",
                              400);
        }
        if (!cidr.contains(*start) || !cidr.contains(*end)) {
            return make_error("The allocation pool " + start_text + "-" + end_text +
                                  " spans beyond the subnet cidr " + cidr.text() + ".",
                              400);
        }
        if (start->value > end->value) {
            return make_error(
                "The allocation pool " + start_text + "-" + end_text + " is not valid.", 400);
        }
        if (gateway && gateway->value >= start->value && gateway->value <= end->value) {
            return make_error("Gateway ip " + format_ip(*gateway) +
                                  " conflicts with allocation pool " + start_text + "-" + end_text +
                                  ".",
                              409);
        }
        pools.push_back({start->value, end->value});
    }
    std::sort(pools.begin(), pools.end(),
              [](const AddressRange& a, const AddressRange& b) { return a.start < b.start; });
    for (size_t i = 1; i < pools.size(); ++i) {
        if (pools[i].start <= pools[i - 1].end) {
            return make_error("Found overlapping allocation pools: " +
                                  format_ip({cidr.version, pools[i - 1].start}) + "-" +
                                  format_ip({cidr.version, pools[i - 1].end}) + " and " +
                                  format_ip({cidr.version, pools[i].start}) + "-" +
                                  format_ip({cidr.version, pools[i].end}) + ".",
                              400);
        }
    }
    return pools;
}

std::optional<Uint128> next_free(const std::vector<AddressRange>& pools,
                                 const std::vector<Uint128>& used_sorted) {
    for (const auto& pool : pools) {
        Uint128 candidate = pool.start;
        auto it = std::lower_bound(used_sorted.begin(), used_sorted.end(), candidate);
        // Each step either returns or skips one used address, so the loop is bounded by `used`.
        while (true) {
            if (it == used_sorted.end() || *it != candidate) {
                return candidate;
            }
            if (candidate == pool.end) {
                break;
            }
            ++candidate;
            ++it;
        }
    }
    return std::nullopt;
}

bool in_pools(const std::vector<AddressRange>& pools, Uint128 value) {
    for (const auto& pool : pools) {
        if (value >= pool.start && value <= pool.end) {
            return true;
        }
    }
    return false;
}

}  // namespace octane::networking
