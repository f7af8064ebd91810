#include "proxy/http/http_error.h"

namespace octane::proxy::http {

int status_for(HttpErrc e, MessageKind kind) {
    if (e == HttpErrc::kNone) {
        return 0;
    }
    if (kind == MessageKind::kResponse) {
        return 502;
    }
    switch (e) {
        case HttpErrc::kBodyTooLarge:
            return 413;
        case HttpErrc::kUnknownTransferEncoding:
            return 501;
        default:
            return 400;
    }
}

std::string_view describe(HttpErrc e) {
    switch (e) {
        case HttpErrc::kNone:
            return "no error";
        case HttpErrc::kBadStartLine:
            return "malformed start line";
        case HttpErrc::kBadVersion:
            return "bad HTTP version";
        case HttpErrc::kBadMethod:
            return "bad method";
        case HttpErrc::kBadTarget:
            return "invalid character in request target";
        case HttpErrc::kBadStatus:
            return "bad status code";
        case HttpErrc::kBadHeaderName:
            return "invalid header name";
        case HttpErrc::kBadHeaderValue:
            return "invalid character in header value";
        case HttpErrc::kMissingColon:
            return "header line without colon";
        case HttpErrc::kObsFold:
            return "obsolete line folding";
        case HttpErrc::kBareCr:
            return "bare CR";
        case HttpErrc::kHeadTooLarge:
            return "message head too large";
        case HttpErrc::kTooManyHeaders:
            return "too many headers";
        case HttpErrc::kBadContentLength:
            return "bad content-length";
        case HttpErrc::kContentLengthWithTe:
            return "both content-length and transfer-encoding";
        case HttpErrc::kBadTransferEncoding:
            return "bad transfer-encoding";
        case HttpErrc::kUnknownTransferEncoding:
            return "unsupported transfer-encoding";
        case HttpErrc::kDuplicateHost:
            return "duplicate host header";
        case HttpErrc::kHostMismatch:
            return "host header differs from target authority";
        case HttpErrc::kBadChunkSize:
            return "bad chunk size";
        case HttpErrc::kBadChunkData:
            return "chunk data not followed by CRLF";
        case HttpErrc::kBadTrailer:
            return "bad trailer";
        case HttpErrc::kBodyTooLarge:
            return "body too large";
        case HttpErrc::kTruncated:
            return "message truncated";
    }
    return "unknown";
}

int timeout_status(TimeoutPhase phase, bool response_started) {
    if (response_started) {
        return 0;
    }
    switch (phase) {
        case TimeoutPhase::kRequestHead:
        case TimeoutPhase::kRequestBody:
            return 408;
        case TimeoutPhase::kKeepAliveIdle:
            return 0;
        case TimeoutPhase::kConnect:
            return 503;
        case TimeoutPhase::kServer:
            return 504;
    }
    return 0;
}

}  // namespace octane::proxy::http
