#pragma once

// Field readers for API-shaped JSON where an explicit null means "not set". They throw nlohmann
// type errors on wrong types; parse_load_balancer() is the one boundary that catches them.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace octane::render::json_fields {

inline bool has(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && !it->is_null();
}

inline std::string str(const nlohmann::json& j, const char* key, std::string fallback = "") {
    return has(j, key) ? j.at(key).get<std::string>() : fallback;
}

inline long long num(const nlohmann::json& j, const char* key, long long fallback) {
    return has(j, key) ? j.at(key).get<long long>() : fallback;
}

inline bool flag(const nlohmann::json& j, const char* key, bool fallback) {
    return has(j, key) ? j.at(key).get<bool>() : fallback;
}

inline std::optional<std::string> opt_str(const nlohmann::json& j, const char* key) {
    if (!has(j, key)) {
        return std::nullopt;
    }
    return j.at(key).get<std::string>();
}

inline std::optional<std::vector<std::string>> opt_list(const nlohmann::json& j, const char* key) {
    if (!has(j, key)) {
        return std::nullopt;
    }
    return j.at(key).get<std::vector<std::string>>();
}

inline const nlohmann::json& array(const nlohmann::json& j, const char* key) {
    static const nlohmann::json kEmpty = nlohmann::json::array();
    return has(j, key) ? j.at(key) : kEmpty;
}

}  // namespace octane::render::json_fields
