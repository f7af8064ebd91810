#include "proxy/config/values.h"

#include <charconv>

namespace octane::proxy::config {

std::optional<long long> parse_int(std::string_view text) {
    long long v = 0;
    if (text.empty()) {
        return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return v;
}

std::optional<Millis> parse_duration(std::string_view text) {
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        ++digits;
    }
    auto number = parse_int(text.substr(0, digits));
    if (!number || *number < 0) {
        return std::nullopt;
    }
    std::string_view unit = text.substr(digits);
    long long v = *number;
    if (unit.empty() || unit == "ms") {
        return Millis(v);
    }
    if (unit == "us") {
        return Millis((v + 999) / 1000);
    }
    if (unit == "s") {
        return Millis(v * 1000);
    }
    if (unit == "m") {
        return Millis(v * 60'000);
    }
    if (unit == "h") {
        return Millis(v * 3'600'000);
    }
    if (unit == "d") {
        return Millis(v * 86'400'000);
    }
    return std::nullopt;
}

std::optional<long long> parse_size(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    long long mult = 1;
    char last = text.back();
    if (last == 'k' || last == 'K') {
        mult = 1024;
    } else if (last == 'm' || last == 'M') {
        mult = 1024 * 1024;
    } else if (last == 'g' || last == 'G') {
        mult = 1024LL * 1024 * 1024;
    }
    if (mult != 1) {
        text.remove_suffix(1);
    }
    auto v = parse_int(text);
    if (!v || *v < 0) {
        return std::nullopt;
    }
    return *v * mult;
}

}  // namespace octane::proxy::config
