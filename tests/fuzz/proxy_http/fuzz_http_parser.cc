// libFuzzer target for the HTTP/1.x parser, body framer, header map and L7 evaluation.
//
// Input layout: byte 0 picks request/response and the chunk size used to feed the parser; the rest
// is the wire data. Invariants checked (a violation traps):
//   - feeding in chunks gives the same verdict and head size as feeding everything at once;
//   - every span lies inside the consumed head;
//   - a parsed request re-serialized by HeaderMap parses again to the same method, target and
//     number of fields, and serialized_size() is exact;
//   - the body framer never consumes more than it is given.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/http/body_framer.h"
#include "proxy/http/header_map.h"
#include "proxy/http/http_parser.h"
#include "proxy/http/l7_rules.h"

namespace http = octane::proxy::http;

namespace {

void check(bool ok) {
    if (!ok) {
        __builtin_trap();
    }
}

const http::L7Rules& rules() {
    static const http::L7Rules r = [] {
        http::L7Rules rules;
        const std::vector<std::vector<std::string>> lines = {
            {"acl", "adm", "path", "-m", "beg", "/admin"},
            {"http-request", "deny", "if", "adm"},
            {"acl", "old", "req.hdr(host)", "-i", "-m", "str", "old.example.com"},
            {"redirect", "code", "301", "location", "https://www.example.com/new", "if", "old"},
            {"acl", "leg", "req.hdr(X-Version)", "-m", "sub", "legacy"},
            {"redirect", "code", "302", "prefix", "https://legacy.example.com", "if", "leg"},
            {"acl", "beta", "req.cook(session)", "-m", "reg", "^beta-[0-9]+$"},
            {"acl", "jpg", "path_end", "-m", "str", "jpg"},
            {"use_backend", "beta", "if", "beta", "!jpg"},
            {"http-request", "set-header", "X-Forwarded-Port", "%[dst_port]"},
            {"default_backend", "main"},
        };
        for (const auto& l : lines) {
            check(rules.add_line(l).has_value());
        }
        return rules;
    }();
    return r;
}

http::ParserLimits limits() {
    http::ParserLimits l;
    l.max_head_bytes = 4096;  // small, so the fuzzer reaches the limit paths
    l.max_headers = 32;
    l.max_body_bytes = 1 << 20;
    return l;
}

void check_spans(const http::MessageHead& h) {
    auto inside = [&](http::Span s) { check(s.offset + s.length <= h.head_bytes); };
    inside(h.method_text);
    inside(h.target);
    inside(h.reason);
    for (const auto& f : h.headers) {
        inside(f.name);
        inside(f.value);
    }
}

void round_trip(std::string_view wire, const http::HttpParser& p) {
    http::MessageView view(wire, p.head());
    http::HeaderMap headers(view);
    http::L7Decision d = rules().evaluate(view, headers, http::ConnectionFacts{"10.0.0.1", 1, 80});
    (void)d;
    headers.add_forwarded_for("10.0.0.1");
    std::string out;
    headers.serialize(out);
    check(out.size() == headers.serialized_size());
    if (out.size() > limits().max_head_bytes) {
        return;  // edits may legitimately push a head over the limit
    }
    http::HttpParser again(http::MessageKind::kRequest, limits());
    auto r = again.parse(out);
    if (!r && r.error() == http::HttpErrc::kTooManyHeaders) {
        return;  // the added X-Forwarded-For can be one field too many
    }
    check(r.has_value() && *r == http::ParseStatus::kComplete);
    check(again.head().head_bytes == out.size());
    http::MessageView v2(out, again.head());
    check(v2.method() == view.method());
    check(v2.target() == view.target());
    size_t lines = 0;
    for (size_t pos = out.find("\r\n"); pos != std::string::npos; pos = out.find("\r\n", pos + 2)) {
        ++lines;
    }
    check(again.head().headers.size() + 2 == lines);  // start line and blank line
    check(again.head().body == p.head().body);
}

void frame_body(std::string_view rest, const http::MessageHead& head, size_t step) {
    http::BodyFramer f(limits().max_body_bytes);
    f.start(head);
    while (!rest.empty() && !f.done()) {
        std::string_view piece = rest.substr(0, step);
        auto r = f.advance(piece);
        if (!r) {
            return;
        }
        check(r->consumed <= piece.size());
        rest.remove_prefix(r->consumed);
        if (r->consumed < piece.size()) {
            check(r->done);
        }
    }
    (void)f.on_eof();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) {
        return 0;
    }
    const bool response = (data[0] & 0x80) != 0;
    const size_t step = 1 + (data[0] & 0x3f);
    std::string_view wire(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto kind = response ? http::MessageKind::kResponse : http::MessageKind::kRequest;

    http::HttpParser whole(kind, limits());
    if ((data[0] & 0x40) != 0) {
        whole.set_request_method(http::Method::kHead);
    }
    auto a = whole.parse(wire);

    http::HttpParser chunked(kind, limits());
    if ((data[0] & 0x40) != 0) {
        chunked.set_request_method(http::Method::kHead);
    }
    auto b = chunked.parse(wire.substr(0, 0));
    for (size_t n = std::min(step, wire.size()); b && *b == http::ParseStatus::kIncomplete;
         n = std::min(n + step, wire.size())) {
        b = chunked.parse(wire.substr(0, n));
        if (n == wire.size()) {
            break;
        }
    }
    check(a.has_value() == b.has_value());
    if (!a) {
        check(a.error() == b.error());
        return 0;
    }
    check(*a == *b);
    if (*a != http::ParseStatus::kComplete) {
        return 0;
    }
    check(whole.head().head_bytes == chunked.head().head_bytes);
    check(whole.head().head_bytes <= wire.size());
    check_spans(whole.head());
    if (!response) {
        round_trip(wire, whole);
    }
    frame_body(wire.substr(whole.head().head_bytes), whole.head(), step);
    return 0;
}
