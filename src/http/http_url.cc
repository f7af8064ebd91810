#include "http/http_url.h"

#include <charconv>

namespace octane::http {

Result<HttpUrl> parse_http_url(const std::string& url) {
    HttpUrl out;
    std::string rest;
    if (url.starts_with("https://")) {
        out.tls = true;
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else {
        return make_error("not an http:// or https:// URL: " + url);
    }
    if (rest.find_first_of("?#") != std::string::npos) {
        return make_error("an endpoint URL has no query or fragment: " + url);
    }
    auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    out.path = slash == std::string::npos ? "" : rest.substr(slash);
    while (!out.path.empty() && out.path.back() == '/') {
        out.path.pop_back();
    }
    std::string port;
    if (authority.starts_with('[')) {
        auto close = authority.find(']');
        if (close == std::string::npos) {
            return make_error("unbalanced '[' in URL: " + url);
        }
        out.host = authority.substr(1, close - 1);
        std::string after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) {
            return make_error("bad authority in URL: " + url);
        }
        port = after.empty() ? "" : after.substr(1);
    } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
        out.host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    } else {
        out.host = authority;
    }
    if (out.host.empty() || out.host.find('@') != std::string::npos) {
        return make_error("no host (or user info, which is not supported) in URL: " + url);
    }
    out.port = out.tls ? 443 : 80;
    if (!port.empty()) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
            return make_error("bad port in URL: " + url);
        }
        out.port = static_cast<uint16_t>(value);
    }
    return out;
}

}  // namespace octane::http
