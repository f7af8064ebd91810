#include "proxy/tls/crt_list.h"

#include <gtest/gtest.h>

#include "proxy/tls/cert_names.h"

namespace octane::proxy::tls {
namespace {

TEST(CrtList, OctaviaFormDefaultFirst) {
    auto l = parse_crt_list("/var/lib/octavia/certs/lb/a.pem\n/var/lib/octavia/certs/lb/b.pem\n");
    ASSERT_TRUE(l);
    ASSERT_EQ(l->size(), 2u);
    EXPECT_EQ((*l)[0].file, "/var/lib/octavia/certs/lb/a.pem");
    EXPECT_TRUE((*l)[0].filters.empty());
    EXPECT_EQ((*l)[1].line, 2);
}

TEST(CrtList, FiltersCommentsAndExclusions) {
    auto l = parse_crt_list(
        "# certs\n\n  /a.pem   WWW.Example.com *.example.org !bad.example.org\n"
        "/b.pem # trailing comment\n");
    ASSERT_TRUE(l);
    ASSERT_EQ(l->size(), 2u);
    EXPECT_EQ((*l)[0].line, 3);
    EXPECT_EQ((*l)[0].filters, (std::vector<std::string>{"www.example.com", "*.example.org"}));
    EXPECT_EQ((*l)[0].exclusions, std::vector<std::string>{"bad.example.org"});
    EXPECT_EQ((*l)[1].file, "/b.pem");
    EXPECT_TRUE((*l)[1].filters.empty());
}

TEST(CrtList, RefusesEmptyAndPerLineOptions) {
    EXPECT_FALSE(parse_crt_list("# nothing\n\n"));
    auto l = parse_crt_list("/a.pem\n/b.pem [verify none] b.example.com\n");
    ASSERT_FALSE(l);
    EXPECT_EQ(l.error().message, "line 2: per-certificate options ('[...]') are not supported yet");
}

TEST(CertSelector, ExactThenWildcardThenDefault) {
    CertSelector s;
    s.add(0, {"default.example.com"}, {});
    s.add(1, {"*.example.com"}, {"secret.example.com"});
    s.add(2, {"WWW.example.com"}, {});
    s.add(3, {"*.example.com"}, {});
    EXPECT_EQ(s.select("www.example.com"), 2);  // exact beats an earlier wildcard
    EXPECT_EQ(s.select("WWW.EXAMPLE.COM"), 2);
    EXPECT_EQ(s.select("api.example.com"), 1);     // first wildcard in crt-list order
    EXPECT_EQ(s.select("secret.example.com"), 3);  // excluded from 1: the next one
    EXPECT_EQ(s.select("a.b.example.com"), 0);     // a wildcard covers one label only
    EXPECT_EQ(s.select("default.example.com"), 0);
    EXPECT_EQ(s.select("other.org"), 0);
    EXPECT_EQ(s.select(""), 0);
}

}  // namespace
}  // namespace octane::proxy::tls
