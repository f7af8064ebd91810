#include "common/ipv6_text.h"

#include <cstdio>

namespace octane {

std::string format_ipv6(const std::array<std::uint8_t, 16>& bytes) {
    std::array<unsigned, 8> groups{};
    for (size_t i = 0; i < groups.size(); ++i) {
        groups[i] = (unsigned{bytes[2 * i]} << 8) | bytes[2 * i + 1];
    }
    // Longest run of zero groups; a single zero group is never compressed (RFC 5952 §4.2.2).
    size_t best_start = groups.size();
    size_t best_len = 1;
    for (size_t i = 0; i < groups.size();) {
        size_t j = i;
        while (j < groups.size() && groups[j] == 0) {
            ++j;
        }
        if (j - i > best_len) {
            best_start = i;
            best_len = j - i;
        }
        i = j == i ? i + 1 : j;
    }
    std::string out;
    for (size_t i = 0; i < groups.size(); ++i) {
        if (i == best_start) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') {
            out += ':';
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "%x", groups[i]);
        out += hex;
    }
    return out;
}

}  // namespace octane
