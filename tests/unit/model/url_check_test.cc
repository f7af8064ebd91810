#include "model/url_check.h"

#include <gtest/gtest.h>

namespace octane::model {
namespace {

TEST(UrlCheck, AbsoluteUrlsAsOctavia) {
    EXPECT_TRUE(is_valid_url("http://a.example"));
    EXPECT_TRUE(is_valid_url("https://user:pw@a.example:8443/p/a;t,h=1@x?q=1&r=%20#frag"));
    EXPECT_TRUE(is_valid_url("http://[2001:db8::1]:80/"));
    // Query and fragment are left to the renderer, as Octavia leaves them.
    EXPECT_TRUE(is_valid_url("http://a.example/x?y=\\r\\n\"#a#b"));
    EXPECT_FALSE(is_valid_url("http://a.example/x\r\nSet-Cookie:a=b"));
    EXPECT_FALSE(is_valid_url("http://a.example/x y"));
    EXPECT_FALSE(is_valid_url("http://a.example/\t"));
    EXPECT_FALSE(is_valid_url(std::string_view("http://a.example/\0", 18)));
    EXPECT_FALSE(is_valid_url("http://a.example/\x7f"));
    EXPECT_FALSE(is_valid_url("http://a.example/\xc2\x85"));  // U+0085, a C1 control
    EXPECT_FALSE(is_valid_url("http://a.example/\xc3\xa9"));  // not an RFC 3986 character
    EXPECT_FALSE(is_valid_url("http://a.example/a\\b"));
    EXPECT_FALSE(is_valid_url("http://a.example/%zz"));
    EXPECT_FALSE(is_valid_url("ftp://a.example/"));
    EXPECT_FALSE(is_valid_url("HTTP://a.example/"));
    EXPECT_FALSE(is_valid_url("http:///path"));
    EXPECT_FALSE(is_valid_url("http://a.example:8o/"));
    EXPECT_FALSE(is_valid_url("a.example/path"));
}

TEST(UrlCheck, PathsAsOctavia) {
    EXPECT_TRUE(is_valid_url_path("/"));
    EXPECT_TRUE(is_valid_url_path("/healthz?full=1"));
    EXPECT_FALSE(is_valid_url_path(""));
    EXPECT_FALSE(is_valid_url_path("healthz"));
    EXPECT_FALSE(is_valid_url_path("//host/x"));
    EXPECT_FALSE(is_valid_url_path("/a b"));
    EXPECT_FALSE(is_valid_url_path("/a\r\nHost: x"));
    EXPECT_FALSE(is_valid_url_path("/a\"b"));
}

}  // namespace
}  // namespace octane::model
