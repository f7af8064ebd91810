#pragma once

// Character classes of RFC 9110/9112 as constexpr lookup tables, so the parser's inner loops are a
// table load per byte instead of a chain of comparisons.

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace octane::proxy::http {

namespace detail {

constexpr bool is_tchar_slow(unsigned char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        return true;
    }
    constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return kExtra.find(static_cast<char>(c)) != std::string_view::npos;
}

constexpr std::array<bool, 256> make_table(bool (*pred)(unsigned char)) {
    std::array<bool, 256> t{};
    for (int i = 0; i < 256; ++i) {
        t[static_cast<size_t>(i)] = pred(static_cast<unsigned char>(i));
    }
    return t;
}

// Field values: VCHAR, obs-text, SP and HTAB. Other controls (NUL, bare CR, DEL...) are refused:
// HAProxy 2.6 lets most of them through, but they only ever appear in attacks.
constexpr bool is_value_char_slow(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

// Request-target bytes: HAProxy 2.6 refuses controls, SP, DEL, non-ASCII and '#'.
constexpr bool is_target_char_slow(unsigned char c) {
    return c > 0x20 && c < 0x7f && c != '#';
}

inline constexpr std::array<bool, 256> kTchar = make_table(is_tchar_slow);
inline constexpr std::array<bool, 256> kValueChar = make_table(is_value_char_slow);
inline constexpr std::array<bool, 256> kTargetChar = make_table(is_target_char_slow);

}  // namespace detail

inline bool is_tchar(char c) {
    return detail::kTchar[static_cast<unsigned char>(c)];
}
inline bool is_value_char(char c) {
    return detail::kValueChar[static_cast<unsigned char>(c)];
}
inline bool is_target_char(char c) {
    return detail::kTargetChar[static_cast<unsigned char>(c)];
}

// True iff every byte of `s` is a field-value byte. Eight bytes at a time: a word with no byte
// below 0x20 and no 0x7f is all valid; otherwise the word is rechecked bytewise (HTAB is valid).
inline bool all_value_chars(std::string_view s) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHigh = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
        uint64_t x = w ^ (kOnes * 0x7f);
        uint64_t is_del = (x - kOnes) & ~x & kHigh;
        if ((below_space | is_del) != 0) {
            for (size_t j = i; j < i + 8; ++j) {
                if (!is_value_char(s[j])) {
                    return false;
                }
            }
        }
    }
    for (; i < s.size(); ++i) {
        if (!is_value_char(s[i])) {
            return false;
        }
    }
    return true;
}

inline char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII case-insensitive equality: header names and most tokens are case-insensitive.
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) {
            return false;
        }
    }
    return true;
}

inline bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

inline std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_ows(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// Calls fn(element) for each OWS-trimmed, non-empty element of a comma-separated list; stops early
// when fn returns false. Returns false iff stopped early.
template <typename Fn>
bool for_each_list_element(std::string_view list, Fn&& fn) {
    while (true) {
        size_t comma = list.find(',');
        std::string_view item = trim_ows(list.substr(0, comma));
        if (!item.empty() && !fn(item)) {
            return false;
        }
        if (comma == std::string_view::npos) {
            return true;
        }
        list.remove_prefix(comma + 1);
    }
}

}  // namespace octane::proxy::http
