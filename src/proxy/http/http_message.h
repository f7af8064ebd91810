#pragma once

// What the parser learned about one message head. Everything textual is a Span (offset + length)
// into the caller's receive buffer rather than a string_view, so the caller may move or grow that
// buffer between parser calls; `MessageView` pairs a head with the buffer for reading.

#include <cstdint>
#include <string_view>
#include <vector>

#include "proxy/http/http_chars.h"

namespace octane::proxy::http {

struct Span {
    uint32_t offset = 0;
    uint32_t length = 0;

    std::string_view in(std::string_view buffer) const { return buffer.substr(offset, length); }
    bool empty() const { return length == 0; }
};

struct HeaderField {
    Span name;
    Span value;  // OWS-trimmed
};

// Methods with framing consequences are told apart; the rest are kOther (text in method_text).
enum class Method : uint8_t {
    kGet,
    kHead,
    kPost,
    kPut,
    kDelete,
    kConnect,
    kOptions,
    kTrace,
    kPatch,
    kOther
};

// How the body that follows the head is delimited.
enum class BodyKind : uint8_t {
    kNone,        // no body (GET without CL, HEAD/204/304/1xx responses, CL: 0)
    kLength,      // exactly content_length bytes
    kChunked,     // chunked transfer coding, forwarded verbatim
    kUntilClose,  // response without CL/TE (or non-chunked TE): ends when the server closes
};

struct MessageHead {
    // Request fields.
    Method method = Method::kOther;
    Span method_text;
    Span target;
    // Response fields.
    int status = 0;
    Span reason;

    int version_minor = 1;  // HTTP/1.<minor>; majors other than 1 are treated as 1.1 like HAProxy
    std::vector<HeaderField> headers;  // in arrival order, capacity reserved once per parser

    BodyKind body = BodyKind::kNone;
    uint64_t content_length = 0;  // meaningful when body == kLength

    bool keep_alive = true;          // connection may carry another message after this one
    bool expect_continue = false;    // request: "Expect: 100-continue" on HTTP/1.1
    bool upgrade_requested = false;  // request: "Connection: upgrade" with an Upgrade header
    bool interim = false;            // response: 1xx other than 101, a final response follows
    bool switch_to_tunnel = false;   // response: 101, or 2xx to CONNECT; bytes flow raw afterwards
    bool drop_content_length = false;  // CL beside TE that was tolerated: never forward the CL
    // The head bytes are already in canonical form (CRLF line ends, no leading blank lines, single
    // spaces in the start line, HTTP/1.x, nothing to drop): with no header edits, the session may
    // forward buffer[0, head_bytes) as-is instead of serializing.
    bool verbatim_safe = true;
    uint32_t head_bytes = 0;  // bytes of the head including the blank line (and leading CRLFs)
};

// Read access to a parsed head over the buffer it was parsed from.
class MessageView {
  public:
    MessageView(std::string_view buffer, const MessageHead& head) : buffer_(buffer), head_(&head) {}

    std::string_view buffer() const { return buffer_; }
    const MessageHead& head() const { return *head_; }
    std::string_view text(Span s) const { return s.in(buffer_); }
    std::string_view method() const { return text(head_->method_text); }
    std::string_view target() const { return text(head_->target); }

    // The path of the target: from the first '/' after any scheme://authority, up to '?'. "*" and
    // authority-form targets yield "".
    std::string_view path() const;
    // Path plus query: what "redirect prefix" appends.
    std::string_view path_and_query() const;

    // First value of header `name` (case-insensitive); "" when absent. `found`, when given, tells
    // an absent header from an empty one.
    std::string_view find(std::string_view name, bool* found = nullptr) const;

    // Calls fn(value) for each occurrence of `name` in order; stops when fn returns false.
    template <typename Fn>
    bool for_each(std::string_view name, Fn&& fn) const {
        for (const HeaderField& h : head_->headers) {
            if (iequals(text(h.name), name) && !fn(text(h.value))) {
                return false;
            }
        }
        return true;
    }

  private:
    std::string_view buffer_;
    const MessageHead* head_;
};

Method method_from_text(std::string_view text);

}  // namespace octane::proxy::http
