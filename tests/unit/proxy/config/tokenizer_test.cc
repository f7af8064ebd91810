#include "proxy/config/tokenizer.h"

#include <gtest/gtest.h>

namespace octane::proxy::config {
namespace {

struct Case {
    const char* line;
    std::vector<std::string> words;
};

TEST(Tokenizer, SplitsAndUnescapesLikeHaproxy) {
    const Case cases[] = {
        {"", {}},
        {"   # only a comment", {}},
        {"    server s1 10.0.0.1:80 weight 1", {"server", "s1", "10.0.0.1:80", "weight", "1"}},
        {"\tbind\t:80  # trailing", {"bind", ":80"}},
        {"log-format a\\ b\\ %f", {"log-format", "a b %f"}},
        {"option httpchk GET /healthz HTTP/1.1\\r\\nHost:\\ app.example.com",
         {"option", "httpchk", "GET", "/healthz", "HTTP/1.1\r\nHost: app.example.com"}},
        {"x \"a b\" 'c d' e\\#f", {"x", "a b", "c d", "e#f"}},
        {"x \"a\\\"b\"", {"x", "a\"b"}},
        {"x 'a\\nb'", {"x", "a\\nb"}},
        {"x \\x41\\x42", {"x", "AB"}},
        {"x \"\"", {"x", ""}},
    };
    for (const auto& c : cases) {
        auto r = tokenize_line(c.line);
        ASSERT_TRUE(r.has_value()) << c.line;
        EXPECT_EQ(*r, c.words) << c.line;
    }
}

TEST(Tokenizer, ReportsMalformedLines) {
    for (const char* bad : {"x \"open", "x 'open", "x \\", "x \\xZZ"}) {
        EXPECT_FALSE(tokenize_line(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace octane::proxy::config
