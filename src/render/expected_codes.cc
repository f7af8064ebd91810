#include "render/expected_codes.h"

#include <set>

#include "common/strings.h"

namespace octane::render {
namespace {

bool parse_code(std::string_view text, int& code) {
    if (text.size() != 3) {
        return false;
    }
    code = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
        code = code * 10 + (c - '0');
    }
    return true;
}

}  // namespace

Result<std::vector<std::string>> expand_expected_codes(std::string_view codes) {
    std::set<int> found;
    for (const std::string& raw : split(codes, ',')) {
        std::string_view part = trim(raw);
        if (part.empty()) {
            continue;
        }
        size_t dash = part.find('-');
        int lo = 0;
        int hi = 0;
        bool ok = dash == std::string_view::npos ? parse_code(part, lo) && parse_code(part, hi)
                                                 : parse_code(part.substr(0, dash), lo) &&
                                                       parse_code(part.substr(dash + 1), hi);
        if (!ok || hi < lo) {
            return make_error("invalid expected_codes '" + std::string(codes) + "'");
        }
        for (int c = lo; c <= hi; ++c) {
            found.insert(c);
        }
    }
    if (found.empty()) {
        return make_error("empty expected_codes");
    }
    std::vector<std::string> out;
    for (int c : found) {
        out.push_back(std::to_string(c));
    }
    return out;
}

}  // namespace octane::render
