#include "model/url_check.h"

#include <cctype>
#include <string>

namespace octane::model {
namespace {

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_sub_delim(unsigned char c) {
    return std::string_view("!$&'()*+,;=").find(static_cast<char>(c)) != std::string_view::npos;
}

// Characters of `text` are unreserved, sub-delims, percent-encodings or in `extra`.
bool made_of(std::string_view text, std::string_view extra) {
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '%') {
            if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
                !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
                return false;
            }
            i += 2;
            continue;
        }
        if (!is_unreserved(c) && !is_sub_delim(c) &&
            extra.find(static_cast<char>(c)) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

// C0 controls, space, DEL, and the C1 controls U+0080..U+009F in their UTF-8 form.
bool has_control(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c <= 0x20 || c == 0x7f) {
            return true;
        }
        if (c == 0xc2 && i + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9f) {
                return true;
            }
        }
    }
    return false;
}

bool valid_host(std::string_view host) {
    if (host.empty()) {
        return false;
    }
    if (host.front() == '[') {
        return host.back() == ']' && host.size() > 2 &&
               host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.") ==
                   std::string_view::npos;
    }
    return made_of(host, "");
}

bool valid_authority(std::string_view authority) {
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        if (!made_of(authority.substr(0, at), ":")) {
            return false;
        }
        authority.remove_prefix(at + 1);
    }
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
        std::string_view port = authority.substr(colon + 1);
        if (port.find_first_not_of("0123456789") != std::string_view::npos) {
            return false;
        }
        authority = authority.substr(0, colon);
    }
    return valid_host(authority);
}

// The path part of a URI reference: up to the query or the fragment.
std::string_view path_of(std::string_view rest) {
    return rest.substr(0, rest.find_first_of("?#"));
}

}  // namespace

bool is_valid_url(std::string_view url) {
    if (has_control(url)) {
        return false;
    }
    size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return false;
    }
    std::string_view scheme = url.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https") {
        return false;
    }
    std::string_view rest = url.substr(scheme_end + 3);
    size_t authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    if (!valid_authority(authority)) {
        return false;
    }
    if (authority_end == std::string_view::npos) {
        return true;
    }
    return made_of(path_of(rest.substr(authority_end)), ":@/");
}

bool is_valid_url_path(std::string_view path) {
    if (path.empty() || path.front() != '/' || has_control(path)) {
        return false;
    }
    if (path.size() > 1 && path[1] == '/') {  // "//host/..." names an authority
        return false;
    }
    return made_of(path_of(path), ":@/");
}

}  // namespace octane::model
