#include "proxy/config/tokenizer.h"

#include "common/strings.h"

namespace octane::proxy::config {
namespace {

// Decodes the escape starting at line[i] == '\\'; appends to `out` and returns the index of the
// last consumed character, or npos on a malformed escape.
size_t decode_escape(std::string_view line, size_t i, std::string& out) {
    if (i + 1 >= line.size()) {
        return std::string_view::npos;
    }
    char c = line[i + 1];
    switch (c) {
        case 'r':
            out.push_back('\r');
            return i + 1;
        case 'n':
            out.push_back('\n');
            return i + 1;
        case 't':
            out.push_back('\t');
            return i + 1;
        case 'x': {
            if (i + 3 >= line.size()) {
                return std::string_view::npos;
            }
            int hi = hex_value(line[i + 2]);
            int lo = hex_value(line[i + 3]);
            if (hi < 0 || lo < 0) {
                return std::string_view::npos;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            return i + 3;
        }
        default:
            // `\ `, `\#`, `\\`, quotes and any other character stand for themselves.
            out.push_back(c);
            return i + 1;
    }
}

}  // namespace

Result<std::vector<std::string>> tokenize_line(std::string_view line) {
    std::vector<std::string> words;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quote == '\'') {
            if (c == '\'') {
                quote = 0;
            } else {
                cur.push_back(c);
            }
            continue;
        }
        if (c == '\\') {
            size_t end = decode_escape(line, i, cur);
            if (end == std::string_view::npos) {
                return make_error("malformed backslash escape");
            }
            i = end;
            in_word = true;
            continue;
        }
        if (quote == '"') {
            if (c == '"') {
                quote = 0;
            } else {
                cur.push_back(c);
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
            continue;
        }
        if (c == '#') {
            break;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (in_word) {
                words.push_back(std::move(cur));
                cur.clear();
                in_word = false;
            }
            continue;
        }
        cur.push_back(c);
        in_word = true;
    }
    if (quote != 0) {
        return make_error(std::string("unmatched ") + (quote == '"' ? "double" : "single") +
                          " quote");
    }
    if (in_word) {
        words.push_back(std::move(cur));
    }
    return words;
}

}  // namespace octane::proxy::config
