#pragma once

// Tells the session how many received body bytes belong to the current message, so it can forward
// them verbatim (or splice them) without decoding: a countdown for Content-Length, a small state
// machine over the chunked framing, or "everything until close".
//
// Chunked bodies are validated but not re-encoded: HAProxy re-chunks, we forward the client's
// framing as-is to save a copy. That is safe only if every framing byte we pass is unambiguous,
// so the framing is stricter than HAProxy's: chunk-size lines and chunk data must end in CRLF
// (HAProxy also takes a bare LF). Extensions are syntax-checked and passed through.

#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "proxy/http/http_error.h"
#include "proxy/http/http_message.h"

namespace octane::proxy::http {

struct BodyProgress {
    size_t consumed = 0;  // bytes at the front of the input that belong to this body
    bool done = false;    // the body (with its trailers) ended within those bytes
};

class BodyFramer {
  public:
    // max_body_bytes = 0: unlimited. For chunked bodies it bounds the sum of chunk sizes;
    // max_trailer_bytes bounds the trailer section (HAProxy keeps trailers in the same buffer).
    explicit BodyFramer(uint64_t max_body_bytes = 0, uint32_t max_trailer_bytes = 15360)
        : max_body_(max_body_bytes), max_trailer_(max_trailer_bytes) {}

    // Starts framing the body of a message whose head was parsed. A head with BodyKind::kNone is
    // done at once.
    void start(const MessageHead& head);
    void start(BodyKind kind, uint64_t content_length);

    // Consumes body bytes from `in`; bytes after the end of the body (a pipelined next message)
    // are left alone. Never consumes past what it has validated; errors are sticky.
    Result<BodyProgress, HttpErrc> advance(std::string_view in);

    // The peer closed. Legal end of an until-close body; otherwise kTruncated.
    Result<void, HttpErrc> on_eof();

    bool done() const { return state_ == State::kDone; }
    BodyKind kind() const { return kind_; }
    // Content-Length bytes (or bytes of the current chunk's data) still expected.
    uint64_t remaining() const { return remaining_; }
    uint64_t body_bytes() const { return total_; }  // payload bytes seen (chunk data excl. framing)

  private:
    enum class State : uint8_t {
        kLength,
        kUntilClose,
        kChunkSize,
        kChunkExt,
        kChunkSizeLf,
        kChunkData,
        kChunkDataCr,
        kChunkDataLf,
        kTrailerLineStart,
        kTrailerLine,
        kTrailerLf,
        kFinalLf,
        kDone,
        kFailed,
    };

    Result<BodyProgress, HttpErrc> fail(HttpErrc e);
    HttpErrc step_chunked(char c);  // one framing byte; kNone means OK
    HttpErrc step_size(char c);
    HttpErrc step_trailer(char c);

    uint64_t max_body_;
    uint32_t max_trailer_;
    BodyKind kind_ = BodyKind::kNone;
    State state_ = State::kDone;
    HttpErrc error_ = HttpErrc::kNone;
    uint64_t remaining_ = 0;
    uint64_t total_ = 0;
    uint32_t size_digits_ = 0;
    uint32_t trailer_bytes_ = 0;
    bool size_ws_ = false;        // saw blanks after the size digits (BWS before ';' or CRLF)
    bool trailer_colon_ = false;  // current trailer line has its ':'
};

}  // namespace octane::proxy::http
