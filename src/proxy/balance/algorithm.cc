#include "proxy/balance/algorithm.h"

#include <array>
#include <string>
#include <utility>

namespace octane::proxy::balance {
namespace {

// Indexed by the enum's value.
constexpr std::array<std::string_view, 5> kAlgorithmNames = {"roundrobin", "leastconn", "source",
                                                             "hash", "first"};
constexpr std::array<std::string_view, 2> kHashTypeNames = {"map-based", "consistent"};

template <typename E, size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view name) {
    for (size_t i = 0; i < N; ++i) {
        if (names[i] == name) {
            return static_cast<E>(i);
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view name_of(Algorithm a) {
    return kAlgorithmNames.at(static_cast<size_t>(a));
}

std::optional<Algorithm> algorithm_named(std::string_view name) {
    return lookup<Algorithm>(kAlgorithmNames, name);
}

std::string_view algorithm_names() {
    static const std::string names = [] {
        std::string joined;
        for (std::string_view name : kAlgorithmNames) {
            joined += joined.empty() ? "" : ", ";
            joined += name;
        }
        return joined;
    }();
    return names;
}

std::string_view name_of(HashType t) {
    return kHashTypeNames.at(static_cast<size_t>(t));
}

std::optional<HashType> hash_type_named(std::string_view name) {
    return lookup<HashType>(kHashTypeNames, name);
}

}  // namespace octane::proxy::balance
