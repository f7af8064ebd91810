#include "proxy/http/head_analysis.h"

#include <cstdint>

namespace octane::proxy::http {
namespace {

using VoidResult = Result<void, HttpErrc>;

// What the headers say, gathered in one pass before any decision is taken.
struct HeaderFacts {
    bool has_cl = false;
    uint64_t cl = 0;
    bool has_te = false;
    bool te_chunked_last = false;  // the final coding is chunked
    bool te_other = false;         // some coding other than chunked appears
    bool conn_close = false;
    bool conn_keep_alive = false;
    bool conn_upgrade = false;
    bool has_upgrade = false;
    bool expect_continue = false;
    int host_count = 0;
    std::string_view host;
};

// Content-Length: 1*DIGIT, possibly as a list of identical values ("2, 2"), possibly repeated;
// HAProxy 2.6 merges identical values and refuses differing ones, signs or inner blanks.
VoidResult add_content_length(std::string_view value, HeaderFacts& f) {
    if (trim_ows(value).empty()) {
        return Unexpected(HttpErrc::kBadContentLength);
    }
    bool ok = true;
    for_each_list_element(value, [&](std::string_view item) {
        uint64_t n = 0;
        for (char c : item) {
            if (c < '0' || c > '9' || n > (UINT64_MAX >> 4)) {
                ok = false;  // also catches overflow early: 2^60 bytes is no real body
                return false;
            }
            n = n * 10 + static_cast<uint64_t>(c - '0');
        }
        if (f.has_cl && f.cl != n) {
            ok = false;
            return false;
        }
        f.has_cl = true;
        f.cl = n;
        return true;
    });
    // A list like "2,,2" or ", " has empty elements that for_each skips; a value of only commas
    // leaves has_cl unset.
    if (!ok || !f.has_cl) {
        return Unexpected(HttpErrc::kBadContentLength);
    }
    return {};
}

// Transfer-Encoding: a list of codings; chunked may appear once and only last.
VoidResult add_transfer_encoding(std::string_view value, HeaderFacts& f) {
    bool ok = true;
    bool any = false;
    for_each_list_element(value, [&](std::string_view item) {
        any = true;
        std::string_view coding = trim_ows(item.substr(0, item.find(';')));
        for (char c : coding) {
            if (!is_tchar(c)) {
                ok = false;
                return false;
            }
        }
        if (f.te_chunked_last) {
            ok = false;  // something after chunked, or chunked twice
            return false;
        }
        if (iequals(coding, "chunked")) {
            f.te_chunked_last = true;
        } else {
            f.te_other = true;
        }
        return true;
    });
    f.has_te = true;
    if (!ok || !any) {
        return Unexpected(HttpErrc::kBadTransferEncoding);
    }
    return {};
}

void add_connection(std::string_view value, HeaderFacts& f) {
    for_each_list_element(value, [&](std::string_view token) {
        if (iequals(token, "close")) {
            f.conn_close = true;
        } else if (iequals(token, "keep-alive")) {
            f.conn_keep_alive = true;
        } else if (iequals(token, "upgrade")) {
            f.conn_upgrade = true;
        }
        return true;
    });
}

Result<HeaderFacts, HttpErrc> gather(std::string_view buffer, const MessageHead& head) {
    HeaderFacts f;
    for (const HeaderField& h : head.headers) {
        std::string_view name = h.name.in(buffer);
        std::string_view value = h.value.in(buffer);
        if (iequals(name, "content-length")) {
            VoidResult r = add_content_length(value, f);
            if (!r) {
                return Unexpected(r.error());
            }
        } else if (iequals(name, "transfer-encoding")) {
            VoidResult r = add_transfer_encoding(value, f);
            if (!r) {
                return Unexpected(r.error());
            }
        } else if (iequals(name, "connection")) {
            add_connection(value, f);
        } else if (iequals(name, "host")) {
            ++f.host_count;
            f.host = value;
        } else if (iequals(name, "upgrade")) {
            f.has_upgrade = true;
        } else if (iequals(name, "expect")) {
            f.expect_continue = iequals(value, "100-continue");
        }
    }
    return f;
}

// Absolute-form targets carry an authority that must agree with Host (HAProxy 2.6 refuses a
// mismatch with 400: two hosts are a routing ambiguity).
bool authority_matches_host(std::string_view target, std::string_view host) {
    size_t scheme_end = target.find("://");
    if (target.empty() || target.front() == '/' || scheme_end == std::string_view::npos) {
        return true;
    }
    std::string_view authority = target.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?"));
    return iequals(authority, host);
}

bool persistent(const MessageHead& head, const HeaderFacts& f) {
    if (f.conn_close) {
        return false;
    }
    return head.version_minor >= 1 || f.conn_keep_alive;
}

VoidResult analyze_request(std::string_view buffer, const ParserLimits& limits,
                           const HeaderFacts& f, MessageHead& head) {
    if (f.host_count > 1) {
        return Unexpected(HttpErrc::kDuplicateHost);
    }
    if (f.host_count == 1 && !authority_matches_host(head.target.in(buffer), f.host)) {
        return Unexpected(HttpErrc::kHostMismatch);
    }
    head.keep_alive = persistent(head, f);
    head.expect_continue = f.expect_continue && head.version_minor >= 1;
    head.upgrade_requested = f.conn_upgrade && f.has_upgrade;
    if (f.has_te) {
        if (!f.te_chunked_last) {
            return Unexpected(HttpErrc::kBadTransferEncoding);  // RFC 9112 §6.3: 400 and close
        }
        if (f.te_other) {
            return Unexpected(HttpErrc::kUnknownTransferEncoding);
        }
        if (f.has_cl) {
            if (limits.reject_content_length_with_te) {
                return Unexpected(HttpErrc::kContentLengthWithTe);
            }
            head.drop_content_length = true;
        }
        if (head.version_minor == 0) {
            head.keep_alive = false;  // RFC 9112 §6.1: TE in 1.0 is faulty framing; close after
        }
        head.body = BodyKind::kChunked;
        return {};
    }
    if (f.has_cl) {
        if (limits.max_body_bytes != 0 && f.cl > limits.max_body_bytes) {
            return Unexpected(HttpErrc::kBodyTooLarge);
        }
        head.content_length = f.cl;
        head.body = f.cl == 0 ? BodyKind::kNone : BodyKind::kLength;
    }
    return {};
}

VoidResult analyze_response(Method request_method, const HeaderFacts& f, MessageHead& head) {
    head.keep_alive = persistent(head, f);
    int s = head.status;
    if (s == 101) {
        head.switch_to_tunnel = true;
        return {};
    }
    if (s < 200) {
        head.interim = true;
        return {};
    }
    if (request_method == Method::kConnect && s < 300) {
        head.switch_to_tunnel = true;
        return {};
    }
    if (f.has_te && f.has_cl) {
        head.drop_content_length = true;  // RFC 9112 §6.3: TE overrides CL; never forward both
    }
    if (request_method == Method::kHead || s == 204 || s == 304) {
        head.content_length = f.has_cl ? f.cl : 0;
        return {};
    }
    if (f.has_te) {
        head.body = f.te_chunked_last ? BodyKind::kChunked : BodyKind::kUntilClose;
    } else if (f.has_cl) {
        head.content_length = f.cl;
        head.body = f.cl == 0 ? BodyKind::kNone : BodyKind::kLength;
    } else {
        head.body = BodyKind::kUntilClose;
    }
    if (head.body == BodyKind::kUntilClose) {
        head.keep_alive = false;
    }
    return {};
}

}  // namespace

VoidResult analyze_head(MessageKind kind, std::string_view buffer, Method request_method,
                        const ParserLimits& limits, MessageHead& head) {
    Result<HeaderFacts, HttpErrc> facts = gather(buffer, head);
    if (!facts) {
        return Unexpected(facts.error());
    }
    VoidResult r = kind == MessageKind::kRequest ? analyze_request(buffer, limits, *facts, head)
                                                 : analyze_response(request_method, *facts, head);
    if (head.drop_content_length) {
        head.verbatim_safe = false;
    }
    return r;
}

}  // namespace octane::proxy::http
