#pragma once

// Why an HTTP message was refused, and what the proxy answers for it. The parser never writes a
// response itself: it returns an HttpErrc and the session asks `status_for()` what to send, so the
// policy (HAProxy's choices, documented per code below) lives in one table.

#include <cstdint>
#include <string_view>

namespace octane::proxy::http {

enum class HttpErrc : uint8_t {
    kNone = 0,
    kBadStartLine,         // malformed request line / status line
    kBadVersion,           // not "HTTP/<digit>.<digit>" (HTTP/0.9 included)
    kBadMethod,            // method is not a token
    kBadTarget,            // control, SP, DEL, non-ASCII or '#' in the request-target
    kBadStatus,            // response status is not three digits
    kBadHeaderName,        // empty name, non-token byte, or blank before ':'
    kBadHeaderValue,       // NUL or another control byte in a field value
    kMissingColon,         // header line without ':'
    kObsFold,              // header line starting with SP/HTAB (obsolete line folding)
    kBareCr,               // CR not followed by LF
    kHeadTooLarge,         // start line + headers exceed the head byte limit
    kTooManyHeaders,       // more header fields than the limit
    kBadContentLength,     // not digits, overflow, or differing values
    kContentLengthWithTe,  // both Content-Length and Transfer-Encoding (request smuggling shape)
    kBadTransferEncoding,  // chunked not last, chunked twice, or TE in a response that cannot have
                           // it
    kUnknownTransferEncoding,  // request coding other than chunked (we only decode chunked)
    kDuplicateHost,            // more than one Host header
    kHostMismatch,             // absolute-form target whose authority differs from Host
    kBadChunkSize,             // chunk size line malformed or overflowing
    kBadChunkData,             // chunk data not followed by CRLF
    kBadTrailer,               // malformed trailer field
    kBodyTooLarge,             // body exceeds the configured limit
    kTruncated,                // connection closed before the message was complete
};

// The side a message came from decides the status: a bad request earns the client a 4xx/5xx; a bad
// response earns the client a 502 (the server is at fault), exactly as HAProxy documents for
// tune.bufsize and tune.http.maxhdr.
enum class MessageKind : uint8_t { kRequest, kResponse };

// Status code to send to the client for `e` on a message of `kind`. Choices (checked against
// HAProxy 2.6.12 on this host, see the report in tests/unit/proxy/http/README.md):
//   - oversized head and too many headers: 400, not 431 (HAProxy documents 400 for both; 431 is
//     not even in its errorfile list);
//   - body over the configured limit: 413;
//   - request TE coding other than chunked: 501 (RFC 9112 §6.1; HAProxy 2.6 answers 422 for
//     "gzip, chunked" and 400 for "gzip");
//   - everything else on a request: 400; anything wrong in a response: 502.
int status_for(HttpErrc e, MessageKind kind);

// Short stable text for logs ("bad chunk size").
std::string_view describe(HttpErrc e);

// What timed out; the caller owns the timers (slowloris is a head that never completes).
enum class TimeoutPhase : uint8_t {
    kRequestHead,    // `timeout http-request` (or `timeout client`) before a full request head: 408
    kRequestBody,    // client stalls while sending the body: 408
    kKeepAliveIdle,  // `timeout http-keep-alive` between requests: close silently (0)
    kConnect,        // `timeout connect` to every server, retries exhausted: 503
    kServer,         // `timeout server` waiting for the response: 504
};

// Status to send for a timeout, or 0 when the connection is closed without a response (HAProxy
// closes idle keep-alive connections silently, and sends nothing once response bytes went out).
int timeout_status(TimeoutPhase phase, bool response_started);

}  // namespace octane::proxy::http
