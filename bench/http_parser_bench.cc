// Micro-benchmarks for the pure HTTP pieces (src/proxy/http/): head parsing, head re-serialization
// with the headers Octavia inserts, chunked framing and L7 rule evaluation.
// Not wired into CMake yet; build by hand against the library, e.g.
//   g++ -O2 -std=c++20 -I src bench/http_parser_bench.cc
//   <build>/src/proxy/http/liboctane_proxy_http.a
//       -lbenchmark -lbenchmark_main -lpthread

#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "proxy/http/body_framer.h"
#include "proxy/http/header_map.h"
#include "proxy/http/http_parser.h"
#include "proxy/http/l7_rules.h"

namespace http = octane::proxy::http;

namespace {

// A typical browser request (~480 bytes, 10 fields).
const std::string kRequest =
    "GET /static/app/main.js?v=20261126 HTTP/1.1\r\n"
    "Host: www.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    "Accept-Language: en-US,en;q=0.5\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Connection: keep-alive\r\n"
    "Cookie: session=beta-1234; theme=dark; _ga=GA1.2.1234567890.1234567890\r\n"
    "Referer: https://www.example.com/\r\n"
    "Cache-Control: max-age=0\r\n"
    "Upgrade-Insecure-Requests: 1\r\n\r\n";

void BM_ParseRequest(benchmark::State& state) {
    http::HttpParser p(http::MessageKind::kRequest);
    for (auto _ : state) {
        p.reset();
        auto r = p.parse(kRequest);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kRequest.size()));
}
BENCHMARK(BM_ParseRequest);

void BM_ParseRequestIn16ByteChunks(benchmark::State& state) {
    http::HttpParser p(http::MessageKind::kRequest);
    for (auto _ : state) {
        p.reset();
        for (size_t n = 16; n < kRequest.size() + 16; n += 16) {
            auto r = p.parse(std::string_view(kRequest).substr(0, n));
            benchmark::DoNotOptimize(r);
        }
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kRequest.size()));
}
BENCHMARK(BM_ParseRequestIn16ByteChunks);

void BM_ParseAndSerializeWithInsertHeaders(benchmark::State& state) {
    http::HttpParser p(http::MessageKind::kRequest);
    std::string out;
    for (auto _ : state) {
        p.reset();
        (void)p.parse(kRequest);
        http::MessageView view(kRequest, p.head());
        http::HeaderMap h(view);
        h.add_forwarded_for("192.168.101.7");
        h.set("X-Forwarded-Port", "80");
        h.set("X-Forwarded-Proto", "http");
        out.clear();
        h.serialize(out);
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_ParseAndSerializeWithInsertHeaders);

void BM_ChunkedFraming(benchmark::State& state) {
    std::string body;
    for (int i = 0; i < 64; ++i) {
        body += "400\r\n" + std::string(1024, 'x') + "\r\n";
    }
    body += "0\r\n\r\n";
    for (auto _ : state) {
        http::BodyFramer f;
        f.start(http::BodyKind::kChunked, 0);
        auto r = f.advance(body);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ChunkedFraming);

void BM_L7CorpusRules(benchmark::State& state) {
    http::L7Rules rules;
    const std::vector<std::vector<std::string>> lines = {
        {"acl", "a1", "path", "-m", "beg", "/admin"},
        {"http-request", "deny", "if", "a1"},
        {"acl", "a2", "req.hdr(host)", "-i", "-m", "str", "old.example.com"},
        {"redirect", "code", "301", "location", "https://www.example.com/new", "if", "a2"},
        {"acl", "a3", "req.cook(session)", "-m", "reg", "^beta-[0-9]+$"},
        {"acl", "a4", "path_end", "-m", "str", "jpg"},
        {"use_backend", "beta", "if", "a3", "!a4"},
        {"default_backend", "main"},
    };
    for (const auto& l : lines) {
        (void)rules.add_line(l);
    }
    http::HttpParser p(http::MessageKind::kRequest);
    (void)p.parse(kRequest);
    http::MessageView view(kRequest, p.head());
    for (auto _ : state) {
        http::HeaderMap h(view);
        auto d = rules.evaluate(view, h, http::ConnectionFacts{"10.0.0.1", 1234, 80});
        benchmark::DoNotOptimize(d);
    }
}
BENCHMARK(BM_L7CorpusRules);

}  // namespace
