#include "proxy/http/http_parser.h"

#include <cstring>

#include "proxy/http/head_analysis.h"

namespace octane::proxy::http {
namespace {

using VoidResult = Result<void, HttpErrc>;

// "HTTP/<d>.<d>" -> minor version as HAProxy sees it (majors above 1 behave as 1.1).
bool parse_version(std::string_view v, int* minor) {
    if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.') {
        return false;
    }
    char major = v[5];
    char min = v[7];
    if (major < '0' || major > '9' || min < '0' || min > '9' || major == '0') {
        return false;
    }
    *minor = major == '1' ? min - '0' : 1;
    return true;
}

// Splits off the next SP-delimited word; runs of SP count as one (RFC 9112 §3 leniency that
// HAProxy also shows).
std::string_view next_word(std::string_view& rest) {
    size_t b = rest.find_first_not_of(' ');
    if (b == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(b);
    size_t e = rest.find(' ');
    std::string_view word = rest.substr(0, e);
    rest.remove_prefix(e == std::string_view::npos ? rest.size() : e);
    return word;
}

// RFC 9112 §3.2: origin-form "/...", absolute-form "scheme://...", authority-form only for
// CONNECT, asterisk-form "*". HAProxy 2.6 answers 400 to "GET jpg".
bool valid_target_form(Method method, std::string_view target) {
    if (method == Method::kConnect) {
        return target.find('/') == std::string_view::npos;
    }
    return target.front() == '/' || target == "*" || target.find("://") != std::string_view::npos;
}

Span span_of(std::string_view buffer, std::string_view part) {
    return Span{static_cast<uint32_t>(part.data() - buffer.data()),
                static_cast<uint32_t>(part.size())};
}

}  // namespace

HttpParser::HttpParser(MessageKind kind, ParserLimits limits) : kind_(kind), limits_(limits) {
    head_.headers.reserve(limits_.max_headers);
}

void HttpParser::reset() {
    head_.headers.clear();
    std::vector<HeaderField> keep = std::move(head_.headers);
    head_ = MessageHead{};
    head_.headers = std::move(keep);
    state_ = State::kStartLine;
    error_ = HttpErrc::kNone;
    line_begin_ = 0;
    scan_ = 0;
}

Result<ParseStatus, HttpErrc> HttpParser::fail(HttpErrc e) {
    state_ = State::kFailed;
    error_ = e;
    return Unexpected(e);
}

Result<ParseStatus, HttpErrc> HttpParser::parse(std::string_view buffer) {
    if (state_ == State::kDone) {
        return ParseStatus::kComplete;
    }
    if (state_ == State::kFailed) {
        return Unexpected(error_);
    }
    // Never look past the head limit: a head that has not ended by then is refused.
    size_t window = std::min<size_t>(buffer.size(), limits_.max_head_bytes);
    while (scan_ < window) {
        const void* lf = std::memchr(buffer.data() + scan_, '\n', window - scan_);
        if (lf == nullptr) {
            scan_ = static_cast<uint32_t>(window);
            break;
        }
        uint32_t lf_pos = static_cast<uint32_t>(static_cast<const char*>(lf) - buffer.data());
        uint32_t end = lf_pos;
        if (end > line_begin_ && buffer[end - 1] == '\r') {
            --end;
        } else {
            head_.verbatim_safe = false;  // bare LF line end
        }
        scan_ = lf_pos + 1;
        VoidResult r = on_line(buffer, line_begin_, end);
        if (!r) {
            return fail(r.error());
        }
        line_begin_ = scan_;
        if (state_ == State::kDone) {
            head_.head_bytes = scan_;
            VoidResult a = analyze_head(kind_, buffer, request_method_, limits_, head_);
            if (!a) {
                return fail(a.error());
            }
            return ParseStatus::kComplete;
        }
    }
    if (buffer.size() >= limits_.max_head_bytes) {
        return fail(HttpErrc::kHeadTooLarge);
    }
    return ParseStatus::kIncomplete;
}

VoidResult HttpParser::on_line(std::string_view buffer, uint32_t begin, uint32_t end) {
    VoidResult r = on_line_checked(buffer, begin, end);
    // Every per-field check refuses CR, so a bare CR surfaces as some other error; name it only
    // then, which keeps a second scan of each line off the fast path.
    if (!r && std::memchr(buffer.data() + begin, '\r', end - begin) != nullptr) {
        return Unexpected(HttpErrc::kBareCr);
    }
    return r;
}

VoidResult HttpParser::on_line_checked(std::string_view buffer, uint32_t begin, uint32_t end) {
    if (state_ == State::kStartLine) {
        if (begin == end && kind_ == MessageKind::kRequest) {
            head_.verbatim_safe = false;
            return {};  // RFC 9112 §2.2: ignore empty lines before a request-line, as HAProxy does
        }
        VoidResult r = kind_ == MessageKind::kRequest ? on_request_line(buffer, begin, end)
                                                      : on_status_line(buffer, begin, end);
        if (r) {
            state_ = State::kHeaders;
        }
        return r;
    }
    if (begin == end) {
        state_ = State::kDone;
        return {};
    }
    return on_header_line(buffer, begin, end);
}

VoidResult HttpParser::on_request_line(std::string_view buffer, uint32_t begin, uint32_t end) {
    std::string_view rest = buffer.substr(begin, end - begin);
    std::string_view method = next_word(rest);
    std::string_view target = next_word(rest);
    std::string_view version = next_word(rest);
    if (method.empty() || target.empty() || version.empty() || !next_word(rest).empty()) {
        return Unexpected(version.empty() && !target.empty() ? HttpErrc::kBadVersion
                                                             : HttpErrc::kBadStartLine);
    }
    for (char c : method) {
        if (!is_tchar(c)) {
            return Unexpected(HttpErrc::kBadMethod);
        }
    }
    for (char c : target) {
        if (!is_target_char(c)) {
            return Unexpected(HttpErrc::kBadTarget);
        }
    }
    if (!parse_version(version, &head_.version_minor)) {
        return Unexpected(HttpErrc::kBadVersion);
    }
    head_.method = method_from_text(method);
    if (!valid_target_form(head_.method, target)) {
        return Unexpected(HttpErrc::kBadTarget);
    }
    head_.method_text = span_of(buffer, method);
    head_.target = span_of(buffer, target);
    if (method.size() + target.size() + version.size() + 2 != end - begin || version[5] != '1') {
        head_.verbatim_safe = false;  // extra blanks, or HTTP/2.0 spoken as 1.1
    }
    return {};
}

VoidResult HttpParser::on_status_line(std::string_view buffer, uint32_t begin, uint32_t end) {
    std::string_view line = buffer.substr(begin, end - begin);
    if (line.size() < 12 || line[8] != ' ') {
        return Unexpected(line.size() >= 8 && line[8] == ' ' ? HttpErrc::kBadStatus
                                                             : HttpErrc::kBadStartLine);
    }
    if (!parse_version(line.substr(0, 8), &head_.version_minor)) {
        return Unexpected(HttpErrc::kBadVersion);
    }
    int status = 0;
    for (size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') {
            return Unexpected(HttpErrc::kBadStatus);
        }
        status = status * 10 + (line[i] - '0');
    }
    if (status < 100 || (line.size() > 12 && line[12] != ' ')) {
        return Unexpected(HttpErrc::kBadStatus);
    }
    std::string_view reason = line.size() > 13 ? line.substr(13) : std::string_view{};
    if (!all_value_chars(reason)) {
        return Unexpected(HttpErrc::kBadStartLine);
    }
    if (line[5] != '1') {
        head_.verbatim_safe = false;
    }
    head_.status = status;
    head_.reason = span_of(buffer, reason.empty() ? line.substr(line.size()) : reason);
    return {};
}

VoidResult HttpParser::on_header_line(std::string_view buffer, uint32_t begin, uint32_t end) {
    std::string_view line = buffer.substr(begin, end - begin);
    if (is_ows(line.front())) {
        return Unexpected(
            HttpErrc::kObsFold);  // RFC 9112 §5.2 allows refusing; we do (no unfolding)
    }
    // One pass validates the name and finds the colon.
    size_t colon = 0;
    while (colon < line.size() && is_tchar(line[colon])) {
        ++colon;
    }
    if (colon == line.size()) {
        return Unexpected(HttpErrc::kMissingColon);
    }
    if (line[colon] != ':' || colon == 0) {
        return Unexpected(HttpErrc::kBadHeaderName);
    }
    std::string_view value = trim_ows(line.substr(colon + 1));
    if (!all_value_chars(value)) {
        return Unexpected(HttpErrc::kBadHeaderValue);
    }
    if (head_.headers.size() >= limits_.max_headers) {
        return Unexpected(HttpErrc::kTooManyHeaders);
    }
    if (value.empty()) {
        value = line.substr(line.size());
    }
    head_.headers.push_back(
        HeaderField{span_of(buffer, line.substr(0, colon)), span_of(buffer, value)});
    return {};
}

}  // namespace octane::proxy::http
