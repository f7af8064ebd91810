#include "db/pg_text.h"

#include <charconv>
#include <cstdlib>

namespace octane::db {

std::string to_numbered_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 1;
    size_t i = 0;
    // Copies from i up to and including the closing delimiter (or to the end).
    auto copy_until = [&](std::string_view close) {
        size_t end = sql.find(close, i);
        end = end == std::string_view::npos ? sql.size() : end + close.size();
        out.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < sql.size()) {
        char c = sql[i];
        if (c == '\'' || c == '"') {
            // A doubled quote inside a literal ends one literal and starts the next: copying
            // both halves in turn yields the same text.
            out += c;
            ++i;
            copy_until(std::string_view(&sql[i - 1], 1));
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            copy_until("\n");
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            out += "/*";
            i += 2;
            copy_until("*/");
        } else if (c == '?') {
            out += '$';
            out += std::to_string(next++);
            ++i;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

Value from_pg_text(unsigned type_oid, std::string_view text) {
    switch (type_oid) {
        case pg_oid::kBool:
            return static_cast<int64_t>(text == "t" ? 1 : 0);
        case pg_oid::kInt2:
        case pg_oid::kInt4:
        case pg_oid::kInt8:
        case pg_oid::kOid:
        case pg_oid::kNumeric: {
            int64_t n = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (error == std::errc() && end == text.data() + text.size()) {
                return n;
            }
            if (type_oid != pg_oid::kNumeric) {
                return std::string(text);
            }
            [[fallthrough]];
        }
        case pg_oid::kFloat4:
        case pg_oid::kFloat8:
            return std::strtod(std::string(text).c_str(), nullptr);
        default:
            return std::string(text);
    }
}

std::optional<std::string> to_pg_text(const Value& value) {
    if (std::holds_alternative<std::nullptr_t>(value)) {
        return std::nullopt;
    }
    if (const auto* n = std::get_if<int64_t>(&value)) {
        return std::to_string(*n);
    }
    if (const auto* d = std::get_if<double>(&value)) {
        char buffer[32];
        auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, *d);
        return std::string(buffer, error == std::errc() ? end : buffer);
    }
    return std::get<std::string>(value);
}

}  // namespace octane::db
