#include "proxy/tls/tls_options.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

namespace octane::proxy::tls {
namespace {

TEST(TlsOptions, VersionRangeDefaultsAndNoOptions) {
    config::TlsOptions t;
    auto r = version_range(t);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->min, TLS1_2_VERSION);  // HAProxy 2.6's default minimum
    EXPECT_EQ(r->max, TLS1_3_VERSION);
    t.no_versions = 0b00111;  // Octavia's default: no-sslv3 no-tlsv10 no-tlsv11
    EXPECT_EQ(version_range(t)->min, TLS1_2_VERSION);
    t.no_versions = 0b00001;  // TLSv1 allowed by the listener's tls_versions
    EXPECT_EQ(version_range(t)->min, TLS1_VERSION);
    t.no_versions = 0b10111;  // TLSv1.2 only
    EXPECT_EQ(version_range(t)->min, TLS1_2_VERSION);
    EXPECT_EQ(version_range(t)->max, TLS1_2_VERSION);
    t.no_versions = 0b11111;
    EXPECT_FALSE(version_range(t));
}

TEST(TlsOptions, VersionRangeMinMax) {
    config::TlsOptions t;
    t.min_ver = 4;
    EXPECT_EQ(version_range(t)->min, TLS1_3_VERSION);
    t.min_ver = 1;
    t.max_ver = 3;
    EXPECT_EQ(version_range(t)->min, TLS1_VERSION);
    EXPECT_EQ(version_range(t)->max, TLS1_2_VERSION);
}

TEST(TlsOptions, AlpnWireDropsH2) {
    EXPECT_EQ(alpn_wire("h2,http/1.1,http/1.0"), std::string("\x08http/1.1\x08http/1.0"));
    EXPECT_EQ(alpn_wire("h2"), "");
    EXPECT_EQ(alpn_wire(""), "");
    EXPECT_EQ(alpn_wire("http/1.1,,"), std::string("\x08http/1.1"));
}

}  // namespace
}  // namespace octane::proxy::tls
