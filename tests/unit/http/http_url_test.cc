#include "http/http_url.h"

#include <gtest/gtest.h>

namespace octane::http {
namespace {

TEST(HttpUrl, SchemeDecidesTlsAndDefaultPort) {
    auto plain = parse_http_url("http://keystone/identity/v3/");
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_FALSE(plain->tls);
    EXPECT_EQ(plain->host, "keystone");
    EXPECT_EQ(plain->port, 80);
    EXPECT_EQ(plain->path, "/identity/v3");
    auto secure = parse_http_url("https://keystone.example:5001");
    ASSERT_TRUE(secure) << secure.error().message;
    EXPECT_TRUE(secure->tls);
    EXPECT_EQ(secure->host, "keystone.example");
    EXPECT_EQ(secure->port, 5001);
    EXPECT_EQ(secure->path, "");
    EXPECT_EQ(parse_http_url("https://10.0.0.5/")->port, 443);
}

TEST(HttpUrl, Ipv6LiteralLosesItsBrackets) {
    auto url = parse_http_url("https://[fd00::5]:5000/v3");
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(url->host, "fd00::5");
    EXPECT_EQ(url->port, 5000);
    EXPECT_EQ(url->path, "/v3");
    EXPECT_EQ(parse_http_url("http://[fd00::5]/")->port, 80);
}

TEST(HttpUrl, RefusesWhatCannotBeDialled) {
    for (const char* bad : {"ftp://keystone/", "keystone:5000", "https://", "https://:5000/",
                            "http://k:0/", "http://k:65536/", "http://k:50x/", "http://[fd00::5/",
                            "http://[fd00::5]x/", "http://user:pw@k/", "http://k/v3?x=1"}) {
        EXPECT_FALSE(parse_http_url(bad)) << bad;
    }
}

}  // namespace
}  // namespace octane::http
