// Response heads: framing by status and request method, tunnels, interim responses, 502s.

#include <string>

#include <gtest/gtest.h>

#include "proxy/http/http_parser.h"

namespace octane::proxy::http {
namespace {

struct ResponseCase {
    const char* name;
    Method request_method;
    std::string input;
    BodyKind body;
    bool keep_alive;
    bool interim;
    bool tunnel;
};

std::vector<ResponseCase> response_cases() {
    return {
        {"cl", Method::kGet, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", BodyKind::kLength,
         true, false, false},
        {"chunked", Method::kGet, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
         BodyKind::kChunked, true, false, false},
        {"until_close", Method::kGet, "HTTP/1.1 200 OK\r\n\r\n", BodyKind::kUntilClose, false,
         false, false},
        {"te_gzip_until_close", Method::kGet, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
         BodyKind::kUntilClose, false, false, false},
        {"head", Method::kHead, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", BodyKind::kNone,
         true, false, false},
        {"no_content", Method::kGet, "HTTP/1.1 204 No Content\r\n\r\n", BodyKind::kNone, true,
         false, false},
        {"not_modified", Method::kGet, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
         BodyKind::kNone, true, false, false},
        {"continue", Method::kPost, "HTTP/1.1 100 Continue\r\n\r\n", BodyKind::kNone, true, true,
         false},
        {"switching", Method::kGet,
         "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
         BodyKind::kNone, true, false, true},
        {"connect_ok", Method::kConnect, "HTTP/1.1 200 Connection established\r\n\r\n",
         BodyKind::kNone, true, false, true},
        {"connect_refused", Method::kConnect, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
         BodyKind::kNone, true, false, false},
        {"http10_close", Method::kGet, "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n",
         BodyKind::kLength, false, false, false},
        {"http10_ka", Method::kGet,
         "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n",
         BodyKind::kLength, true, false, false},
        {"no_reason", Method::kGet, "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", BodyKind::kNone,
         true, false, false},
        {"empty_reason", Method::kGet, "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
         BodyKind::kNone, true, false, false},
    };
}

class ResponseTest : public ::testing::TestWithParam<ResponseCase> {};

TEST_P(ResponseTest, Framing) {
    const ResponseCase& c = GetParam();
    HttpParser p(MessageKind::kResponse);
    p.set_request_method(c.request_method);
    auto r = p.parse(c.input);
    ASSERT_TRUE(r) << describe(r.error());
    ASSERT_EQ(*r, ParseStatus::kComplete);
    EXPECT_EQ(p.head().body, c.body);
    EXPECT_EQ(p.head().keep_alive, c.keep_alive);
    EXPECT_EQ(p.head().interim, c.interim);
    EXPECT_EQ(p.head().switch_to_tunnel, c.tunnel);
}

INSTANTIATE_TEST_SUITE_P(Responses, ResponseTest, ::testing::ValuesIn(response_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HttpResponse, ClBesideTeIsDroppedNotRefused) {
    HttpParser p(MessageKind::kResponse);
    ASSERT_TRUE(
        p.parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"));
    EXPECT_EQ(p.head().body, BodyKind::kChunked);
    EXPECT_TRUE(p.head().drop_content_length);
}

TEST(HttpResponse, StatusLineFields) {
    std::string in = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    HttpParser p(MessageKind::kResponse);
    ASSERT_TRUE(p.parse(in));
    EXPECT_EQ(p.head().status, 404);
    EXPECT_EQ(p.head().reason.in(in), "Not Found");
}

TEST(HttpResponse, InterimThenFinal) {
    std::string in = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    HttpParser p(MessageKind::kResponse);
    ASSERT_TRUE(p.parse(in));
    ASSERT_TRUE(p.head().interim);
    std::string_view rest = std::string_view(in).substr(p.head().head_bytes);
    p.reset();
    ASSERT_TRUE(p.parse(rest));
    EXPECT_EQ(p.head().status, 200);
    EXPECT_FALSE(p.head().interim);
}

TEST(HttpResponse, BadResponsesMapTo502) {
    const char* bad[] = {
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 099 Odd\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n",
    };
    for (const char* in : bad) {
        HttpParser p(MessageKind::kResponse);
        auto r = p.parse(in);
        ASSERT_FALSE(r) << in;
        EXPECT_EQ(status_for(r.error(), MessageKind::kResponse), 502) << in;
    }
}

TEST(HttpErrorPolicy, TimeoutDecisions) {
    EXPECT_EQ(timeout_status(TimeoutPhase::kRequestHead, false), 408);
    EXPECT_EQ(timeout_status(TimeoutPhase::kRequestBody, false), 408);
    EXPECT_EQ(timeout_status(TimeoutPhase::kKeepAliveIdle, false), 0);
    EXPECT_EQ(timeout_status(TimeoutPhase::kConnect, false), 503);
    EXPECT_EQ(timeout_status(TimeoutPhase::kServer, false), 504);
    EXPECT_EQ(timeout_status(TimeoutPhase::kServer, true), 0);
}

}  // namespace
}  // namespace octane::proxy::http
