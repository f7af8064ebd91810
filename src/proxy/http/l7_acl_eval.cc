// Per-request side of the ACLs: extracting samples from the request and matching patterns.

#include <cstdlib>
#include <regex>

#include "proxy/http/http_chars.h"
#include "proxy/http/l7_match.h"

namespace octane::proxy::http {
namespace {

bool equal_case(std::string_view a, std::string_view b, bool icase) {
    return icase ? iequals(a, b) : a == b;
}

bool contains_at_boundaries(std::string_view sample, std::string_view pattern, char delim,
                            bool icase) {
    // HAProxy's dir/dom: the pattern must appear as whole delimiter-separated components.
    for (size_t pos = 0; pos + pattern.size() <= sample.size(); ++pos) {
        bool start_ok = pos == 0 || sample[pos - 1] == delim;
        size_t end = pos + pattern.size();
        bool end_ok = end == sample.size() || sample[end] == delim;
        if (start_ok && end_ok && equal_case(sample.substr(pos, pattern.size()), pattern, icase)) {
            return true;
        }
    }
    return false;
}

// Splits a header value on commas outside double quotes, trimming blanks; empty elements are kept
// because HAProxy's hdr() yields them (an empty header is an empty but present sample).
template <typename Fn>
bool for_each_hdr_element(std::string_view value, Fn&& fn) {
    size_t start = 0;
    bool quoted = false;
    for (size_t i = 0; i <= value.size(); ++i) {
        if (i < value.size()) {
            char c = value[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < value.size()) {
                ++i;
            }
            if (quoted || c != ',') {
                continue;
            }
        }
        if (!fn(trim_ows(value.substr(start, i - start)))) {
            return false;
        }
        start = i + 1;
    }
    return true;
}

// Cookie header: `name=value; name2=value2`; names are case-sensitive (RFC 6265). Like HAProxy
// 2.6 (checked on this host), ',' also separates cookies and an empty value ("c=") is no sample.
template <typename Fn>
bool for_each_cookie(std::string_view header, std::string_view name, Fn&& fn) {
    while (!header.empty()) {
        size_t end = header.find_first_of(";,");
        std::string_view pair = trim_ows(header.substr(0, end));
        size_t eq = pair.find('=');
        if (eq != std::string_view::npos && trim_ows(pair.substr(0, eq)) == name) {
            std::string_view value = trim_ows(pair.substr(eq + 1));
            if (!value.empty() && !fn(value)) {
                return false;
            }
        }
        if (end == std::string_view::npos) {
            break;
        }
        header.remove_prefix(end + 1);
    }
    return true;
}

}  // namespace

bool Acl::match_pattern(std::string_view sample, size_t index) const {
    std::string_view p = patterns_[index];
    switch (method_) {
        case MatchMethod::kStr:
            return equal_case(sample, p, icase_);
        case MatchMethod::kBeg:
            return sample.size() >= p.size() && equal_case(sample.substr(0, p.size()), p, icase_);
        case MatchMethod::kEnd:
            return sample.size() >= p.size() &&
                   equal_case(sample.substr(sample.size() - p.size()), p, icase_);
        case MatchMethod::kSub:
            for (size_t pos = 0; pos + p.size() <= sample.size(); ++pos) {
                if (equal_case(sample.substr(pos, p.size()), p, icase_)) {
                    return true;
                }
            }
            return false;
        case MatchMethod::kDir:
            return contains_at_boundaries(sample, p, '/', icase_);
        case MatchMethod::kDom:
            return contains_at_boundaries(sample, p, '.', icase_);
        case MatchMethod::kLen:
            return std::to_string(sample.size()) == p;
        case MatchMethod::kReg:
            // Matching can only throw on resource exhaustion; treat that as "no match".
            try {
                return std::regex_search(sample.begin(), sample.end(), *regexes_[index]);
            } catch (const std::regex_error&) {
                return false;
            }
        case MatchMethod::kFound:
            return true;
    }
    return false;
}

bool Acl::match_sample(std::string_view sample) const {
    if (method_ == MatchMethod::kFound) {
        return true;
    }
    for (size_t i = 0; i < patterns_.size(); ++i) {
        if (match_pattern(sample, i)) {
            return true;
        }
    }
    return false;
}

bool Acl::match_integer(long value) const {
    const std::string& op = patterns_.size() == 2 ? patterns_[0] : std::string("eq");
    long n = std::strtol(patterns_.back().c_str(), nullptr, 10);
    return op == "eq"   ? value == n
           : op == "ne" ? value != n
           : op == "lt" ? value < n
           : op == "le" ? value <= n
           : op == "gt" ? value > n
                        : value >= n;
}

bool Acl::matches_tls(const ConnectionFacts& conn) const {
    // Samples that do not exist (plain connection, no client certificate) match nothing.
    const TlsFacts* t = conn.tls;
    switch (fetch_) {
        case Fetch::kSslFc:
            return method_ == MatchMethod::kFound ? conn.ssl : match_sample(conn.ssl ? "1" : "0");
        case Fetch::kSslCUsed: {
            bool used = t != nullptr && t->has_cert;
            return method_ == MatchMethod::kFound ? used : match_sample(used ? "1" : "0");
        }
        case Fetch::kSslCVerify:
            return t != nullptr && match_integer(t->verify);
        case Fetch::kSslCSDn: {
            if (t == nullptr || !t->has_cert) {
                return false;
            }
            if (arg_.empty()) {
                return match_sample(t->s_dn);
            }
            const std::string* v = t->s_dn_entry(arg_);
            return v != nullptr && match_sample(*v);
        }
        case Fetch::kSslCIDn:
            return t != nullptr && t->has_cert && match_sample(t->i_dn);
        case Fetch::kSslFcSni:
            return t != nullptr && !t->sni.empty() && match_sample(t->sni);
        default:
            return false;
    }
}

bool Acl::matches(const RequestContext& req) const {
    const MessageView& m = req.msg;
    switch (fetch_) {
        case Fetch::kConstant:
            return constant_;
        case Fetch::kPath: {
            std::string_view pq = m.path_and_query();
            return !pq.empty() && match_sample(m.path());
        }
        case Fetch::kUrl:
            return match_sample(m.target());
        case Fetch::kMethod:
            return match_sample(m.method());
        case Fetch::kVersion:
            return match_sample(m.head().version_minor == 0 ? "1.0" : "1.1");
        case Fetch::kFhdr:
            return !req.headers->for_each(arg_,
                                          [&](std::string_view v) { return !match_sample(v); });
        case Fetch::kHdr:
            return !req.headers->for_each(arg_, [&](std::string_view v) {
                return for_each_hdr_element(v,
                                            [&](std::string_view e) { return !match_sample(e); });
            });
        case Fetch::kCookie:
            return !req.headers->for_each("Cookie", [&](std::string_view v) {
                return for_each_cookie(v, arg_,
                                       [&](std::string_view c) { return !match_sample(c); });
            });
        case Fetch::kSslFc:
        case Fetch::kSslCUsed:
        case Fetch::kSslCVerify:
        case Fetch::kSslCSDn:
        case Fetch::kSslCIDn:
        case Fetch::kSslFcSni:
            return matches_tls(req.conn);
    }
    return false;
}

}  // namespace octane::proxy::http
