// Header edits and head re-serialization (option forwardfor, set-header, del-header), plus the
// canned responses compared byte for byte with what HAProxy 2.6 sent on this host.

#include "proxy/http/header_map.h"

#include <string>

#include <gtest/gtest.h>

#include "proxy/http/canned_responses.h"
#include "proxy/http/http_parser.h"

namespace octane::proxy::http {
namespace {

struct Parsed {
    std::string buffer;
    HttpParser parser{MessageKind::kRequest};
    explicit Parsed(std::string in, MessageKind kind = MessageKind::kRequest)
        : buffer(std::move(in)), parser(kind) {
        auto r = parser.parse(buffer);
        EXPECT_TRUE(r && *r == ParseStatus::kComplete);
    }
    MessageView view() const { return MessageView(buffer, parser.head()); }
};

TEST(HeaderMap, InsertHeadersAsOctaviaRendersThem) {
    Parsed p("GET /x?y HTTP/1.1\nHost: a\nX-Forwarded-Proto: https\nx-forwarded-port: 1\n\nBODY");
    HeaderMap h(p.view());
    h.add_forwarded_for("10.0.0.7");
    h.set("X-Forwarded-Port", "80");
    h.set("X-Forwarded-Proto", "http");
    std::string out;
    h.serialize(out);
    EXPECT_EQ(out,
              "GET /x?y HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.7\r\n"
              "X-Forwarded-Port: 80\r\nX-Forwarded-Proto: http\r\n\r\n");
    EXPECT_EQ(out.size(), h.serialized_size());
    EXPECT_EQ(p.buffer.substr(p.parser.head().head_bytes), "BODY");  // body untouched
}

TEST(HeaderMap, ForwardedForAppendsAFieldLikeHaproxy) {
    Parsed p("GET / HTTP/1.1\r\nX-Forwarded-For: 1.1.1.1\r\n\r\n");
    HeaderMap h(p.view());
    h.add_forwarded_for("2.2.2.2");
    EXPECT_EQ(h.count("x-forwarded-for"), 2u);
    std::vector<std::string_view> values;
    h.for_each("X-Forwarded-For", [&](std::string_view v) {
        values.push_back(v);
        return true;
    });
    EXPECT_EQ(values, (std::vector<std::string_view>{"1.1.1.1", "2.2.2.2"}));
}

TEST(HeaderMap, RemoveGetAndContainsSeeEdits) {
    Parsed p("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\na: 3\r\n\r\n");
    HeaderMap h(p.view());
    EXPECT_EQ(h.get("a"), "1");
    EXPECT_EQ(h.remove("A"), 2u);
    EXPECT_FALSE(h.contains("a"));
    h.add("a", "4");
    EXPECT_EQ(h.get("A"), "4");
    EXPECT_EQ(h.remove("a"), 1u);
    bool found = true;
    EXPECT_EQ(h.get("a", &found), "");
    EXPECT_FALSE(found);
    std::string out;
    h.serialize(out);
    EXPECT_EQ(out, "GET / HTTP/1.1\r\nB: 2\r\n\r\n");
}

TEST(HeaderMap, ToleratedContentLengthIsNeverForwarded) {
    Parsed p("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
             MessageKind::kResponse);
    HeaderMap h(p.view());
    std::string out;
    h.serialize(out);
    EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    EXPECT_EQ(out.size(), h.serialized_size());
}

TEST(HeaderMap, Http10VersionIsKept) {
    Parsed p("GET / HTTP/1.0\r\n\r\n");
    HeaderMap h(p.view());
    std::string out;
    h.serialize(out);
    EXPECT_EQ(out, "GET / HTTP/1.0\r\n\r\n");
}

TEST(CannedResponses, MatchHaproxyBytes) {
    EXPECT_EQ(error_response(403),
              "HTTP/1.1 403 Forbidden\r\ncontent-length: 93\r\ncache-control: no-cache\r\n"
              "content-type: text/html\r\n\r\n<html><body><h1>403 Forbidden</h1>\nRequest "
              "forbidden by administrative rules.\n</body></html>\n");
    EXPECT_EQ(error_response(403, true).find("connection: close\r\n\r\n") != std::string::npos,
              true);
    EXPECT_EQ(protocol_error_response(400),
              "HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\n"
              "Connection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>400 Bad "
              "request</h1>\nYour browser sent an invalid request.\n</body></html>\n");
    EXPECT_EQ(
        protocol_error_response(408),
        "HTTP/1.1 408 Request Time-out\r\nContent-length: 110\r\nCache-Control: no-cache\r\n"
        "Connection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>408 Request "
        "Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n");
    EXPECT_EQ(error_response(502),
              "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 107\r\ncache-control: no-cache\r\n"
              "content-type: text/html\r\n\r\n<html><body><h1>502 Bad Gateway</h1>\nThe server "
              "returned an invalid or incomplete response.\n</body></html>\n");
    EXPECT_EQ(error_response(503),
              "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: "
              "no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>503 Service "
              "Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n");
    EXPECT_EQ(error_response(504),
              "HTTP/1.1 504 Gateway Time-out\r\ncontent-length: 92\r\ncache-control: no-cache\r\n"
              "content-type: text/html\r\n\r\n<html><body><h1>504 Gateway Time-out</h1>\nThe "
              "server didn't respond in time.\n</body></html>\n");
    EXPECT_EQ(error_response(400),
              "HTTP/1.1 400 Bad request\r\ncontent-length: 90\r\ncache-control: no-cache\r\n"
              "content-type: text/html\r\nconnection: close\r\n\r\n<html><body><h1>400 Bad "
              "request</h1>\nYour browser sent an invalid request.\n</body></html>\n");
    EXPECT_EQ(error_response(501),
              "HTTP/1.1 501 Not Implemented\r\ncontent-length: 136\r\ncache-control: no-cache\r\n"
              "content-type: text/html\r\n\r\n<html><body><h1>501 Not Implemented</h1>\n.The "
              "server does not support the functionality required to fulfill the request.\n"
              "</body></html>\n");
    EXPECT_TRUE(is_deny_status(429));
    EXPECT_FALSE(is_deny_status(402));
    EXPECT_EQ(redirect_response(301, "https://www.example.com/new", ""),
              "HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: "
              "https://www.example.com/new\r\n\r\n");
    EXPECT_EQ(redirect_response(302, "https://legacy.example.com/p?q=1", ""),
              "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: "
              "https://legacy.example.com/p?q=1\r\ncache-control: no-cache\r\n\r\n");
}

}  // namespace
}  // namespace octane::proxy::http
