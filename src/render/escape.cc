#include "render/escape.h"

#include <cstdio>

namespace octane::render {

std::string escape_word(std::string_view value) {
    if (value.empty()) {
        return "\"\"";
    }
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '\\':
            case '#':
            case '"':
            case '\'':
            case ' ':
                out += '\\';
                out += c;
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                if (u < 0x20 || u == 0x7f) {
                    char hex[5];
                    std::snprintf(hex, sizeof hex, "\\x%02x", u);
                    out += hex;
                } else {
                    out += c;
                }
        }
    }
    return out;
}

bool is_single_word(std::string_view value) {
    if (value.empty()) {
        return false;
    }
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) {
            return false;
        }
    }
    return true;
}

}  // namespace octane::render
