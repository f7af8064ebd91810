#pragma once

// Incremental HTTP/1.x head parser for requests and responses.
//
// Design: the caller owns one receive buffer per direction and re-presents it, grown, on every
// call; the parser remembers how far it has scanned, so feeding a head byte by byte costs O(n)
// overall, and it records offsets, never copies. We chose "whole buffer + resume offset" over a
// push parser with internal copies (http-parser/llhttp style callbacks) because the head must be
// contiguous anyway for rewriting, and offsets survive buffer reallocation. Bodies are framed by
// BodyFramer (body_framer.h) once the head is complete. Nothing here allocates after construction
// except when a head exceeds the reserved header capacity (it cannot: the limit is the capacity).
//
// Strictness follows HAProxy 2.6 (tested on this host) except where it lets smuggling shapes
// through; those deviations are listed in http_error.h and the test README.

#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "proxy/http/http_error.h"
#include "proxy/http/http_message.h"

namespace octane::proxy::http {

struct ParserLimits {
    // HAProxy refuses a request head larger than tune.bufsize - tune.maxrewrite (16384 - 1024).
    uint32_t max_head_bytes = 15360;
    // tune.http.maxhdr = 101 counts the start line, so 100 header fields.
    uint32_t max_headers = 100;
    // 0 = unlimited. A larger Content-Length is refused at head time; chunked bodies in BodyFramer.
    uint64_t max_body_bytes = 0;
    // HAProxy 2.6 drops CL and uses TE; RFC 9112 §6.1 lets a server refuse instead, which closes
    // the request-smuggling door for backends that prefer CL. Requests only: responses always drop
    // CL.
    bool reject_content_length_with_te = true;
};

enum class ParseStatus : uint8_t { kIncomplete, kComplete };

class HttpParser {
  public:
    explicit HttpParser(MessageKind kind, ParserLimits limits = {});

    // `buffer` holds the bytes received for this message so far, starting at its first byte; each
    // call must present the same prefix again (possibly at another address) plus any new bytes.
    // Returns kComplete once the blank line ending the head is seen: head() is then valid and
    // head().head_bytes tells where the body (or the next pipelined message) starts. Errors are
    // sticky until reset().
    Result<ParseStatus, HttpErrc> parse(std::string_view buffer);

    const MessageHead& head() const { return head_; }
    MessageKind kind() const { return kind_; }
    const ParserLimits& limits() const { return limits_; }

    // Response parsers must know the request's method: HEAD responses have no body and 2xx to
    // CONNECT opens a tunnel. Set before parsing each response; reset() keeps it.
    void set_request_method(Method method) { request_method_ = method; }

    // Prepares for the next message on the same connection (pipelining: the caller drops the
    // consumed bytes, or passes the rest of its buffer from the new message's first byte).
    void reset();

  private:
    enum class State : uint8_t { kStartLine, kHeaders, kDone, kFailed };

    Result<void, HttpErrc> on_line(std::string_view buffer, uint32_t begin, uint32_t end);
    Result<void, HttpErrc> on_line_checked(std::string_view buffer, uint32_t begin, uint32_t end);
    Result<void, HttpErrc> on_request_line(std::string_view buffer, uint32_t begin, uint32_t end);
    Result<void, HttpErrc> on_status_line(std::string_view buffer, uint32_t begin, uint32_t end);
    Result<void, HttpErrc> on_header_line(std::string_view buffer, uint32_t begin, uint32_t end);
    Result<ParseStatus, HttpErrc> fail(HttpErrc e);

    MessageKind kind_;
    ParserLimits limits_;
    MessageHead head_;
    Method request_method_ = Method::kGet;
    State state_ = State::kStartLine;
    HttpErrc error_ = HttpErrc::kNone;
    uint32_t line_begin_ = 0;  // first byte of the line being assembled
    uint32_t scan_ = 0;        // where the search for the next LF resumes
};

}  // namespace octane::proxy::http
