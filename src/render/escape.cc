#include "render/escape.h"

namespace octane::render {

std::string esc(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&#34;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string esc_l7_value(std::string_view value) {
    std::string word;
    word.reserve(value.size());
    for (char c : value) {
        if (c == '\\') {
            word += "\\\\";
        } else if (c == ' ') {
            word += "\\ ";
        } else {
            word += c;
        }
    }
    return esc(word);
}

std::string esc_log_format(std::string_view format) {
    std::string word;
    word.reserve(format.size() + 16);
    for (char c : format) {
        if (c == ' ') {
            word += "\\ ";
        } else {
            word += c;
        }
    }
    return esc(word);
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
