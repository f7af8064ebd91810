#include "proxy/http/body_framer.h"

#include <algorithm>

#include "common/strings.h"
#include "proxy/http/http_chars.h"

namespace octane::proxy::http {
namespace {

// 15 hex digits = 2^60 bytes: far beyond any body, and the sum cannot overflow uint64.
constexpr uint32_t kMaxSizeDigits = 15;
// A chunk-size line with extensions longer than this is an attack, not metadata.
constexpr uint32_t kMaxChunkLine = 4096;

}  // namespace

void BodyFramer::start(const MessageHead& head) {
    start(head.body, head.content_length);
}

void BodyFramer::start(BodyKind kind, uint64_t content_length) {
    kind_ = kind;
    error_ = HttpErrc::kNone;
    remaining_ = 0;
    total_ = 0;
    size_digits_ = 0;
    trailer_bytes_ = 0;
    size_ws_ = false;
    trailer_colon_ = false;
    switch (kind) {
        case BodyKind::kNone:
            state_ = State::kDone;
            break;
        case BodyKind::kLength:
            remaining_ = content_length;
            state_ = content_length == 0 ? State::kDone : State::kLength;
            break;
        case BodyKind::kChunked:
            state_ = State::kChunkSize;
            break;
        case BodyKind::kUntilClose:
            state_ = State::kUntilClose;
            break;
    }
}

Result<BodyProgress, HttpErrc> BodyFramer::fail(HttpErrc e) {
    state_ = State::kFailed;
    error_ = e;
    return Unexpected(e);
}

Result<BodyProgress, HttpErrc> BodyFramer::advance(std::string_view in) {
    BodyProgress p;
    size_t i = 0;
    while (i < in.size() && state_ != State::kDone) {
        switch (state_) {
            case State::kFailed:
                return Unexpected(error_);
            case State::kUntilClose:
                total_ += in.size() - i;
                i = in.size();
                break;
            case State::kLength:
            case State::kChunkData: {
                uint64_t take = std::min<uint64_t>(remaining_, in.size() - i);
                remaining_ -= take;
                total_ += take;
                i += static_cast<size_t>(take);
                if (remaining_ == 0) {
                    state_ = state_ == State::kLength ? State::kDone : State::kChunkDataCr;
                }
                break;
            }
            default: {
                HttpErrc e = step_chunked(in[i]);
                if (e != HttpErrc::kNone) {
                    return fail(e);
                }
                ++i;
                break;
            }
        }
    }
    if (state_ == State::kFailed) {
        return Unexpected(error_);
    }
    p.consumed = i;
    p.done = state_ == State::kDone;
    return p;
}

HttpErrc BodyFramer::step_size(char c) {
    int h = hex_value(c);
    if (h >= 0 && !size_ws_ && state_ == State::kChunkSize) {
        if (++size_digits_ > kMaxSizeDigits) {
            return HttpErrc::kBadChunkSize;
        }
        remaining_ = remaining_ * 16 + static_cast<uint64_t>(h);
        return HttpErrc::kNone;
    }
    if (size_digits_ == 0) {
        return HttpErrc::kBadChunkSize;
    }
    if (state_ == State::kChunkSize && is_ows(c)) {
        size_ws_ = true;  // BWS before ';' or CRLF, which HAProxy accepts too
        return HttpErrc::kNone;
    }
    if (c == '\r') {
        state_ = State::kChunkSizeLf;
        return HttpErrc::kNone;
    }
    if (state_ == State::kChunkSize && c == ';') {
        state_ = State::kChunkExt;
        return HttpErrc::kNone;
    }
    if (state_ == State::kChunkExt && is_value_char(c)) {
        return ++trailer_bytes_ > kMaxChunkLine ? HttpErrc::kBadChunkSize : HttpErrc::kNone;
    }
    return HttpErrc::kBadChunkSize;
}

HttpErrc BodyFramer::step_trailer(char c) {
    if (++trailer_bytes_ > max_trailer_) {
        return HttpErrc::kBadTrailer;
    }
    switch (state_) {
        case State::kTrailerLineStart:
            if (c == '\r') {
                state_ = State::kFinalLf;
            } else if (is_tchar(c)) {
                state_ = State::kTrailerLine;
                trailer_colon_ = false;
            } else {
                return HttpErrc::kBadTrailer;  // includes obs-fold and an empty name
            }
            return HttpErrc::kNone;
        case State::kTrailerLine:
            if (c == '\r') {
                state_ = State::kTrailerLf;
                return trailer_colon_ ? HttpErrc::kNone : HttpErrc::kBadTrailer;
            }
            if (!trailer_colon_ && c == ':') {
                trailer_colon_ = true;
                return HttpErrc::kNone;
            }
            return (trailer_colon_ ? is_value_char(c) : is_tchar(c)) ? HttpErrc::kNone
                                                                     : HttpErrc::kBadTrailer;
        case State::kTrailerLf:
            state_ = State::kTrailerLineStart;
            return c == '\n' ? HttpErrc::kNone : HttpErrc::kBadTrailer;
        case State::kFinalLf:
            state_ = State::kDone;
            return c == '\n' ? HttpErrc::kNone : HttpErrc::kBadTrailer;
        default:
            return HttpErrc::kBadTrailer;
    }
}

HttpErrc BodyFramer::step_chunked(char c) {
    switch (state_) {
        case State::kChunkSize:
        case State::kChunkExt:
            return step_size(c);
        case State::kChunkSizeLf:
            if (c != '\n') {
                return HttpErrc::kBadChunkSize;
            }
            if (max_body_ != 0 && total_ + remaining_ > max_body_) {
                return HttpErrc::kBodyTooLarge;
            }
            state_ = remaining_ == 0 ? State::kTrailerLineStart : State::kChunkData;
            trailer_bytes_ = 0;
            return HttpErrc::kNone;
        case State::kChunkDataCr:
            state_ = State::kChunkDataLf;
            return c == '\r' ? HttpErrc::kNone : HttpErrc::kBadChunkData;
        case State::kChunkDataLf:
            state_ = State::kChunkSize;
            size_digits_ = 0;
            size_ws_ = false;
            trailer_bytes_ = 0;
            return c == '\n' ? HttpErrc::kNone : HttpErrc::kBadChunkData;
        default:
            return step_trailer(c);
    }
}

Result<void, HttpErrc> BodyFramer::on_eof() {
    if (state_ == State::kUntilClose || state_ == State::kDone) {
        state_ = State::kDone;
        return {};
    }
    if (state_ == State::kFailed) {
        return Unexpected(error_);
    }
    state_ = State::kFailed;
    error_ = HttpErrc::kTruncated;
    return Unexpected(error_);
}

}  // namespace octane::proxy::http
