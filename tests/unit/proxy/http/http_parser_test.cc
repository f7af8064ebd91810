// Request and response head parsing: table-driven accept/reject cases (with the status HAProxy
// 2.6 answers, or our documented deviation), byte-by-byte feeding and pipelining.

#include "proxy/http/http_parser.h"

#include <string>

#include <gtest/gtest.h>

namespace octane::proxy::http {
namespace {

struct RejectCase {
    const char* name;
    std::string input;
    HttpErrc error;
    int status;
};

Result<ParseStatus, HttpErrc> parse_all(HttpParser& p, std::string_view in) {
    return p.parse(in);
}

// Feeds `in` one byte more at a time, as a slow client would, and returns the final result.
Result<ParseStatus, HttpErrc> parse_bytewise(HttpParser& p, std::string_view in) {
    Result<ParseStatus, HttpErrc> r = ParseStatus::kIncomplete;
    for (size_t n = 1; n <= in.size(); ++n) {
        r = p.parse(in.substr(0, n));
        if (!r || *r == ParseStatus::kComplete) {
            return r;
        }
    }
    return r;
}

const std::string kBig(16000, 'a');

std::string many_headers(int n) {
    std::string s = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < n; ++i) {
        s += "X-" + std::to_string(i) + ": a\r\n";
    }
    return s + "\r\n";
}

std::vector<RejectCase> reject_cases() {
    const std::string post = "POST / HTTP/1.1\r\nHost: a\r\n";
    return {
        {"cl_te", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
         HttpErrc::kContentLengthWithTe, 400},
        {"te_cl", post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
         HttpErrc::kContentLengthWithTe, 400},
        {"cl_dup_diff", post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n",
         HttpErrc::kBadContentLength, 400},
        {"cl_list_diff", post + "Content-Length: 2, 3\r\n\r\n", HttpErrc::kBadContentLength, 400},
        {"cl_plus", post + "Content-Length: +2\r\n\r\n", HttpErrc::kBadContentLength, 400},
        {"cl_neg", post + "Content-Length: -1\r\n\r\n", HttpErrc::kBadContentLength, 400},
        {"cl_inner_space", post + "Content-Length: 1 2\r\n\r\n", HttpErrc::kBadContentLength, 400},
        {"cl_hex", post + "Content-Length: 0x10\r\n\r\n", HttpErrc::kBadContentLength, 400},
        {"cl_empty", post + "Content-Length: \r\n\r\n", HttpErrc::kBadContentLength, 400},
        {"cl_overflow", post + "Content-Length: 99999999999999999999999\r\n\r\n",
         HttpErrc::kBadContentLength, 400},
        {"te_gzip", post + "Transfer-Encoding: gzip\r\n\r\n", HttpErrc::kBadTransferEncoding, 400},
        {"te_identity", post + "Transfer-Encoding: identity\r\n\r\n",
         HttpErrc::kBadTransferEncoding, 400},
        {"te_xchunked", post + "Transfer-Encoding: xchunked\r\n\r\n",
         HttpErrc::kBadTransferEncoding, 400},
        {"te_chunked_twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n",
         HttpErrc::kBadTransferEncoding, 400},
        {"te_chunked_split_twice",
         post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
         HttpErrc::kBadTransferEncoding, 400},
        {"te_chunked_not_last", post + "Transfer-Encoding: chunked, gzip\r\n\r\n",
         HttpErrc::kBadTransferEncoding, 400},
        {"te_empty", post + "Transfer-Encoding: \r\n\r\n", HttpErrc::kBadTransferEncoding, 400},
        {"te_gzip_chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n",
         HttpErrc::kUnknownTransferEncoding, 501},
        {"te_foo_chunked", post + "Transfer-Encoding: foo, chunked\r\n\r\n",
         HttpErrc::kUnknownTransferEncoding, 501},
        {"obs_fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", HttpErrc::kObsFold, 400},
        {"space_before_colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n",
         HttpErrc::kBadHeaderName, 400},
        {"bad_name_char", "GET / HTTP/1.1\r\nX(A: b\r\n\r\n", HttpErrc::kBadHeaderName, 400},
        {"empty_name", "GET / HTTP/1.1\r\n: b\r\n\r\n", HttpErrc::kBadHeaderName, 400},
        {"no_colon", "GET / HTTP/1.1\r\nXAb\r\n\r\n", HttpErrc::kMissingColon, 400},
        {"nul_in_value", std::string("GET / HTTP/1.1\r\nX-A: b\0c\r\n\r\n", 28),
         HttpErrc::kBadHeaderValue, 400},
        {"ctl_in_value",
         "GET / HTTP/1.1\r\nX-A: b\x01"
         "c\r\n\r\n",
         HttpErrc::kBadHeaderValue, 400},
        {"del_in_value",
         "GET / HTTP/1.1\r\nX-A: b\x7f"
         "c\r\n\r\n",
         HttpErrc::kBadHeaderValue, 400},
        {"bare_cr_value", "GET / HTTP/1.1\r\nX-A: b\rc\r\n\r\n", HttpErrc::kBareCr, 400},
        {"bare_cr_line", "GET / HTTP/1.1\rHost: a\r\n\r\n", HttpErrc::kBareCr, 400},
        {"http09", "GET /\r\n\r\n", HttpErrc::kBadVersion, 400},
        {"lower_version", "GET / http/1.1\r\n\r\n", HttpErrc::kBadVersion, 400},
        {"version_0", "GET / HTTP/0.9\r\n\r\n", HttpErrc::kBadVersion, 400},
        {"extra_word", "GET / HTTP/1.1 x\r\n\r\n", HttpErrc::kBadStartLine, 400},
        {"bad_method", "G(T / HTTP/1.1\r\n\r\n", HttpErrc::kBadMethod, 400},
        {"target_non_ascii", "GET /\xff HTTP/1.1\r\n\r\n", HttpErrc::kBadTarget, 400},
        {"target_ctl", "GET /\x01 HTTP/1.1\r\n\r\n", HttpErrc::kBadTarget, 400},
        {"target_fragment", "GET /a#b HTTP/1.1\r\n\r\n", HttpErrc::kBadTarget, 400},
        {"target_relative", "GET jpg HTTP/1.1\r\n\r\n", HttpErrc::kBadTarget, 400},
        {"connect_with_path", "CONNECT a:1/x HTTP/1.1\r\n\r\n", HttpErrc::kBadTarget, 400},
        {"two_hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", HttpErrc::kDuplicateHost,
         400},
        {"absolute_host_mismatch", "GET http://x.y/p HTTP/1.1\r\nHost: a\r\n\r\n",
         HttpErrc::kHostMismatch, 400},
        {"head_too_large", "GET / HTTP/1.1\r\nX-A: " + kBig + "\r\n\r\n", HttpErrc::kHeadTooLarge,
         400},
        {"unterminated_head", "GET / HTTP/1.1\r\nX-A: " + kBig, HttpErrc::kHeadTooLarge, 400},
        {"too_many_headers", many_headers(100), HttpErrc::kTooManyHeaders, 400},
    };
}

class RejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(RejectTest, WholeBuffer) {
    const RejectCase& c = GetParam();
    HttpParser p(MessageKind::kRequest);
    auto r = parse_all(p, c.input);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error(), c.error) << c.name << ": " << describe(r.error());
    EXPECT_EQ(status_for(r.error(), MessageKind::kRequest), c.status) << c.name;
    // Errors are sticky.
    auto again = p.parse(c.input);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), c.error);
}

TEST_P(RejectTest, ByteByByte) {
    const RejectCase& c = GetParam();
    HttpParser p(MessageKind::kRequest);
    auto r = parse_bytewise(p, c.input);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error(), c.error) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Smuggling, RejectTest, ::testing::ValuesIn(reject_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

struct AcceptCase {
    const char* name;
    std::string input;
    BodyKind body;
    uint64_t content_length;
    bool keep_alive;
};

std::vector<AcceptCase> accept_cases() {
    return {
        {"get11", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", BodyKind::kNone, 0, true},
        {"get10", "GET / HTTP/1.0\r\n\r\n", BodyKind::kNone, 0, false},
        {"get10_ka", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", BodyKind::kNone, 0, true},
        {"get11_close", "GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", BodyKind::kNone, 0, false},
        {"conn_list", "GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n", BodyKind::kNone, 0,
         false},
        {"cl", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", BodyKind::kLength, 5, true},
        {"cl_zero", "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", BodyKind::kNone, 0, true},
        {"cl_dup_same", "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-length: 2\r\n\r\n",
         BodyKind::kLength, 2, true},
        {"cl_list_same", "POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\n", BodyKind::kLength, 2,
         true},
        {"chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", BodyKind::kChunked, 0,
         true},
        {"chunked_case", "POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n",
         BodyKind::kChunked, 0, true},
        {"chunked_10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", BodyKind::kChunked,
         0, false},
        {"lf_only", "GET / HTTP/1.1\nHost: a\n\n", BodyKind::kNone, 0, true},
        {"leading_crlf", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", BodyKind::kNone, 0, true},
        {"double_space", "GET  / HTTP/1.1\r\n\r\n", BodyKind::kNone, 0, true},
        {"obs_text_value", "GET / HTTP/1.1\r\nX-A: caf\xc3\xa9\r\n\r\n", BodyKind::kNone, 0, true},
        {"empty_value", "GET / HTTP/1.1\r\nX-A:\r\n\r\n", BodyKind::kNone, 0, true},
        {"http20_as_11", "GET / HTTP/2.0\r\n\r\n", BodyKind::kNone, 0, true},
        {"absolute_same_host", "GET http://a/p HTTP/1.1\r\nHost: a\r\n\r\n", BodyKind::kNone, 0,
         true},
        {"asterisk", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", BodyKind::kNone, 0, true},
        {"99_headers", many_headers(99), BodyKind::kNone, 0, true},
    };
}

class AcceptTest : public ::testing::TestWithParam<AcceptCase> {};

TEST_P(AcceptTest, WholeAndByteByByteAgree) {
    const AcceptCase& c = GetParam();
    for (bool bytewise : {false, true}) {
        HttpParser p(MessageKind::kRequest);
        auto r = bytewise ? parse_bytewise(p, c.input) : parse_all(p, c.input);
        ASSERT_TRUE(r) << c.name << ": " << describe(r.error());
        ASSERT_EQ(*r, ParseStatus::kComplete);
        EXPECT_EQ(p.head().body, c.body) << c.name;
        EXPECT_EQ(p.head().content_length, c.content_length) << c.name;
        EXPECT_EQ(p.head().keep_alive, c.keep_alive) << c.name;
        EXPECT_EQ(p.head().head_bytes, c.input.size()) << c.name;
    }
}

INSTANTIATE_TEST_SUITE_P(Requests, AcceptTest, ::testing::ValuesIn(accept_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HttpParser, RequestFieldsAreOffsetsIntoTheBuffer) {
    std::string in =
        "POST /a/b?c=1 HTTP/1.1\r\nHost: example.com\r\nX-Empty:   \r\n"
        "Expect: 100-continue\r\nContent-Length: 3\r\n\r\nabc";
    HttpParser p(MessageKind::kRequest);
    ASSERT_EQ(*p.parse(in), ParseStatus::kComplete);
    MessageView v(in, p.head());
    EXPECT_EQ(v.method(), "POST");
    EXPECT_EQ(p.head().method, Method::kPost);
    EXPECT_EQ(v.target(), "/a/b?c=1");
    EXPECT_EQ(v.path(), "/a/b");
    EXPECT_EQ(v.path_and_query(), "/a/b?c=1");
    EXPECT_EQ(v.find("host"), "example.com");
    bool found = false;
    EXPECT_EQ(v.find("x-empty", &found), "");
    EXPECT_TRUE(found);
    EXPECT_TRUE(p.head().expect_continue);
    EXPECT_EQ(in.substr(p.head().head_bytes), "abc");
    // The buffer may move: spans stay valid against a copy.
    std::string moved = in;
    EXPECT_EQ(MessageView(moved, p.head()).find("HOST"), "example.com");
}

TEST(HttpParser, VerbatimSafeOnlyForCanonicalHeads) {
    struct Case {
        std::string input;
        bool safe;
    };
    const Case cases[] = {
        {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", true}, {"GET / HTTP/1.0\r\n\r\n", true},
        {"GET / HTTP/1.1\nHost: a\r\n\r\n", false},  {"GET / HTTP/1.1\r\nHost: a\r\n\n", false},
        {"\r\nGET / HTTP/1.1\r\n\r\n", false},       {"GET  / HTTP/1.1\r\n\r\n", false},
        {"GET / HTTP/1.1 \r\n\r\n", false},          {"GET / HTTP/2.0\r\n\r\n", false},
    };
    for (const Case& c : cases) {
        HttpParser p(MessageKind::kRequest);
        ASSERT_TRUE(p.parse(c.input)) << c.input;
        EXPECT_EQ(p.head().verbatim_safe, c.safe) << c.input;
    }
    ParserLimits tolerate;
    tolerate.reject_content_length_with_te = false;
    HttpParser p(MessageKind::kRequest, tolerate);
    ASSERT_TRUE(
        p.parse("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"));
    EXPECT_FALSE(p.head().verbatim_safe);
}

TEST(HttpParser, PipelinedRequestsStopAtEachHead) {
    std::string in =
        "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTT";
    HttpParser p(MessageKind::kRequest);
    std::string_view rest = in;
    std::vector<std::string> targets;
    while (true) {
        auto r = p.parse(rest);
        ASSERT_TRUE(r);
        if (*r == ParseStatus::kIncomplete) {
            break;
        }
        targets.emplace_back(MessageView(rest, p.head()).target());
        rest.remove_prefix(p.head().head_bytes);
        p.reset();
    }
    EXPECT_EQ(targets, (std::vector<std::string>{"/1", "/2"}));
    EXPECT_EQ(rest, "GET /3 HTT");
}

TEST(HttpParser, UpgradeAndConnect) {
    HttpParser p(MessageKind::kRequest);
    std::string ws =
        "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n"
        "Upgrade: websocket\r\n\r\n";
    ASSERT_TRUE(p.parse(ws));
    EXPECT_TRUE(p.head().upgrade_requested);
    p.reset();
    std::string connect = "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n";
    ASSERT_TRUE(p.parse(connect));
    EXPECT_EQ(p.head().method, Method::kConnect);
    EXPECT_EQ(MessageView(connect, p.head()).path(), "");
}

TEST(HttpParser, ExpectIgnoredOnHttp10) {
    HttpParser p(MessageKind::kRequest);
    ASSERT_TRUE(p.parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n"));
    EXPECT_FALSE(p.head().expect_continue);
}

TEST(HttpParser, BodyLimitRefusesLargeContentLengthWith413) {
    ParserLimits limits;
    limits.max_body_bytes = 10;
    HttpParser p(MessageKind::kRequest, limits);
    auto r = p.parse("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), HttpErrc::kBodyTooLarge);
    EXPECT_EQ(status_for(r.error(), MessageKind::kRequest), 413);
}

TEST(HttpParser, ContentLengthWithTeCanBeToleratedLikeHaproxy26) {
    ParserLimits limits;
    limits.reject_content_length_with_te = false;
    HttpParser p(MessageKind::kRequest, limits);
    ASSERT_TRUE(
        p.parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"));
    EXPECT_EQ(p.head().body, BodyKind::kChunked);
    EXPECT_TRUE(p.head().drop_content_length);
}

TEST(HttpParser, HeadExactlyAtTheLimitIsAccepted) {
    ParserLimits limits;
    limits.max_head_bytes = 64;
    std::string in = "GET / HTTP/1.1\r\nX: ";
    in += std::string(64 - in.size() - 4, 'a') + "\r\n\r\n";
    ASSERT_EQ(in.size(), 64u);
    HttpParser p(MessageKind::kRequest, limits);
    EXPECT_TRUE(p.parse(in));
    HttpParser q(MessageKind::kRequest, limits);
    EXPECT_TRUE(q.parse(in + "x"));  // the extra byte is body, not head
    std::string over = "GET / HTTP/1.1\r\nX: " + std::string(64, 'a') + "\r\n\r\n";
    HttpParser r(MessageKind::kRequest, limits);
    EXPECT_EQ(r.parse(over).error(), HttpErrc::kHeadTooLarge);
}

}  // namespace
}  // namespace octane::proxy::http
