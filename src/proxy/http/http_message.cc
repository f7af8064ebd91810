#include "proxy/http/http_message.h"

namespace octane::proxy::http {
namespace {

// Skips "scheme://authority" of an absolute-form target; returns the rest ("" if none).
std::string_view after_authority(std::string_view target) {
    if (target.empty() || target.front() == '/') {
        return target;
    }
    size_t scheme_end = target.find("://");
    if (scheme_end == std::string_view::npos) {
        return {};  // "*" or authority-form (CONNECT host:port): no path
    }
    std::string_view rest = target.substr(scheme_end + 3);
    size_t slash = rest.find_first_of("/?");
    if (slash == std::string_view::npos) {
        return {};
    }
    return rest.substr(slash);
}

}  // namespace

std::string_view MessageView::path_and_query() const {
    return after_authority(target());
}

std::string_view MessageView::path() const {
    std::string_view pq = path_and_query();
    return pq.substr(0, pq.find('?'));
}

std::string_view MessageView::find(std::string_view name, bool* found) const {
    for (const HeaderField& h : head_->headers) {
        if (iequals(text(h.name), name)) {
            if (found != nullptr) {
                *found = true;
            }
            return text(h.value);
        }
    }
    if (found != nullptr) {
        *found = false;
    }
    return {};
}

Method method_from_text(std::string_view m) {
    // Methods are case-sensitive (RFC 9110 §9.1): "get" is an unknown method, not GET.
    switch (m.size()) {
        case 3:
            return m == "GET" ? Method::kGet : m == "PUT" ? Method::kPut : Method::kOther;
        case 4:
            return m == "HEAD" ? Method::kHead : m == "POST" ? Method::kPost : Method::kOther;
        case 5:
            return m == "PATCH" ? Method::kPatch : m == "TRACE" ? Method::kTrace : Method::kOther;
        case 6:
            return m == "DELETE" ? Method::kDelete : Method::kOther;
        case 7:
            return m == "CONNECT"   ? Method::kConnect
                   : m == "OPTIONS" ? Method::kOptions
                                    : Method::kOther;
        default:
            return Method::kOther;
    }
}

}  // namespace octane::proxy::http
