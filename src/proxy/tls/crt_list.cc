#include "proxy/tls/crt_list.h"

#include <cctype>

namespace octane::proxy::tls {
namespace {

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) {
            ++i;
        }
        size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) {
            ++i;
        }
        if (i > start) {
            words.emplace_back(line.substr(start, i - start));
        }
    }
    return words;
}

std::string lower(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

}  // namespace

Result<std::vector<CrtListEntry>> parse_crt_list(std::string_view text) {
    std::vector<CrtListEntry> out;
    int line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        if (size_t hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        auto words = split_words(line);
        if (words.empty()) {
            continue;
        }
        CrtListEntry e;
        e.line = line_no;
        e.file = words[0];
        for (size_t i = 1; i < words.size(); ++i) {
            if (words[i].front() == '[') {
                return make_error("line " + std::to_string(line_no) +
                                  ": per-certificate options ('[...]') are not supported yet");
            }
            if (words[i].front() == '!') {
                if (words[i].size() == 1) {
                    return make_error("line " + std::to_string(line_no) + ": empty '!' filter");
                }
                e.exclusions.push_back(lower(words[i].substr(1)));
            } else {
                e.filters.push_back(lower(words[i]));
            }
        }
        out.push_back(std::move(e));
    }
    if (out.empty()) {
        return make_error("no certificate in the crt-list");
    }
    return out;
}

}  // namespace octane::proxy::tls
