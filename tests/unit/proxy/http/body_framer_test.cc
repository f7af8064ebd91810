// Body framing: Content-Length countdown, the chunked state machine (extensions, trailers, every
// malformed shape), byte-by-byte equivalence and pipelined bytes left alone.

#include "proxy/http/body_framer.h"

#include <string>

#include <gtest/gtest.h>

namespace octane::proxy::http {
namespace {

// Feeds `in` in pieces of `step` bytes; returns total consumed when done, or the error.
Result<size_t, HttpErrc> frame(BodyFramer& f, std::string_view in, size_t step) {
    size_t used = 0;
    while (used < in.size()) {
        size_t n = std::min(step, in.size() - used);
        // Present everything not yet consumed that has "arrived" so far.
        auto r = f.advance(in.substr(used, n));
        if (!r) {
            return Unexpected(r.error());
        }
        used += r->consumed;
        if (r->done) {
            return used;
        }
        if (r->consumed < n) {
            ADD_FAILURE() << "framer stopped early without finishing";
            return used;
        }
    }
    return used;
}

struct ChunkCase {
    const char* name;
    std::string body;  // chunked body followed by pipelined bytes "NEXT"
    HttpErrc error;    // kNone: valid; consumed must be body.size() - 4
};

std::vector<ChunkCase> chunk_cases() {
    return {
        {"simple", "2\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kNone},
        {"upper_hex", "A\r\n0123456789\r\n0\r\n\r\nNEXT", HttpErrc::kNone},
        {"leading_zeros", "0002\r\nab\r\n000\r\n\r\nNEXT", HttpErrc::kNone},
        {"extension", "2;foo=bar\r\nab\r\n0;last\r\n\r\nNEXT", HttpErrc::kNone},
        {"quoted_ext", "2;foo=\"a b\"\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kNone},
        {"bws_before_crlf", "2 \r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kNone},
        {"bws_before_ext", "2 ;x\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kNone},
        {"trailers", "2\r\nab\r\n0\r\nX-T: 1\r\nX-U:\r\n\r\nNEXT", HttpErrc::kNone},
        {"many_chunks", "1\r\na\r\n1\r\nb\r\n1\r\nc\r\n0\r\n\r\nNEXT", HttpErrc::kNone},
        {"no_digits", "\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"not_hex", "zz\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"negative", "-1\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"0x_prefix", "0x2\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"plus", "+2\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"overflow", "ffffffffffffffffff\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"space_inside", "1 2\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"lf_only_size", "2\nab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"cr_without_lf", "2\rXab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"ctl_in_ext", "2;\x01\r\nab\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkSize},
        {"data_too_long", "2\r\nabX\r\n0\r\n\r\nNEXT", HttpErrc::kBadChunkData},
        {"data_lf_only", "2\r\nab\n0\r\n\r\nNEXT", HttpErrc::kBadChunkData},
        {"trailer_no_colon", "0\r\nX-T\r\n\r\nNEXT", HttpErrc::kBadTrailer},
        {"trailer_obs_fold", "0\r\nX-T: 1\r\n 2\r\n\r\nNEXT", HttpErrc::kBadTrailer},
        {"trailer_bad_name", "0\r\nX T: 1\r\n\r\nNEXT", HttpErrc::kBadTrailer},
        {"final_lf_only", "0\r\n\nNEXT", HttpErrc::kBadTrailer},
    };
}

class ChunkTest : public ::testing::TestWithParam<ChunkCase> {};

TEST_P(ChunkTest, AllStepSizesAgree) {
    const ChunkCase& c = GetParam();
    for (size_t step : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, c.body.size()}) {
        BodyFramer f;
        f.start(BodyKind::kChunked, 0);
        auto r = frame(f, c.body, step);
        if (c.error == HttpErrc::kNone) {
            ASSERT_TRUE(r) << c.name << " step " << step << ": " << describe(r.error());
            EXPECT_EQ(*r, c.body.size() - 4) << c.name << " step " << step;
            EXPECT_TRUE(f.done());
        } else {
            ASSERT_FALSE(r) << c.name << " step " << step;
            EXPECT_EQ(r.error(), c.error) << c.name << " step " << step;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Chunked, ChunkTest, ::testing::ValuesIn(chunk_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BodyFramer, ContentLengthStopsAtTheEnd) {
    BodyFramer f;
    f.start(BodyKind::kLength, 5);
    auto r = f.advance("abc");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->consumed, 3u);
    EXPECT_FALSE(r->done);
    EXPECT_EQ(f.remaining(), 2u);
    r = f.advance("deGET / HTTP/1.1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->consumed, 2u);
    EXPECT_TRUE(r->done);
}

TEST(BodyFramer, NoBodyIsDoneImmediately) {
    BodyFramer f;
    f.start(BodyKind::kNone, 0);
    EXPECT_TRUE(f.done());
    auto r = f.advance("GET");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->consumed, 0u);
    EXPECT_TRUE(r->done);
}

TEST(BodyFramer, UntilCloseEndsOnEof) {
    BodyFramer f;
    f.start(BodyKind::kUntilClose, 0);
    auto r = f.advance("anything");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->consumed, 8u);
    EXPECT_FALSE(r->done);
    EXPECT_TRUE(f.on_eof());
    EXPECT_TRUE(f.done());
}

TEST(BodyFramer, EofInsideLengthOrChunkIsTruncation) {
    BodyFramer f;
    f.start(BodyKind::kLength, 5);
    ASSERT_TRUE(f.advance("ab"));
    EXPECT_EQ(f.on_eof().error(), HttpErrc::kTruncated);
    BodyFramer g;
    g.start(BodyKind::kChunked, 0);
    ASSERT_TRUE(g.advance("5\r\nab"));
    EXPECT_EQ(g.on_eof().error(), HttpErrc::kTruncated);
}

TEST(BodyFramer, ChunkedBodyLimitIs413) {
    BodyFramer f(4);
    f.start(BodyKind::kChunked, 0);
    auto r = f.advance("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), HttpErrc::kBodyTooLarge);
    EXPECT_EQ(status_for(r.error(), MessageKind::kRequest), 413);
}

TEST(BodyFramer, TrailerSectionIsBounded) {
    BodyFramer f(0, 32);
    f.start(BodyKind::kChunked, 0);
    std::string body = "0\r\nX-T: " + std::string(64, 'a') + "\r\n\r\n";
    auto r = f.advance(body);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), HttpErrc::kBadTrailer);
}

TEST(BodyFramer, ChunkDataIsSkippedInBulk) {
    BodyFramer f;
    f.start(BodyKind::kChunked, 0);
    std::string data(100000, 'x');
    std::string body = "186a0\r\n" + data + "\r\n0\r\n\r\n";
    auto r = f.advance(body);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->done);
    EXPECT_EQ(r->consumed, body.size());
    EXPECT_EQ(f.body_bytes(), 100000u);
}

}  // namespace
}  // namespace octane::proxy::http
