#include "networking/cidr.h"

#include <gtest/gtest.h>

namespace octane::networking {
namespace {

TEST(Cidr, ParsesAndClearsHostBits) {
    auto cidr = parse_cidr("127.10.3.7/16");
    ASSERT_TRUE(cidr);
    EXPECT_EQ(cidr->text(), "127.10.0.0/16");
    EXPECT_EQ(format_ip({4, cidr->last()}), "127.10.255.255");
    auto v6 = parse_cidr("2001:db8::1/64");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->text(), "2001:db8::/64");
    EXPECT_EQ(format_ip({6, v6->last()}), "2001:db8::ffff:ffff:ffff:ffff");
    auto all = parse_cidr("::/0");
    ASSERT_TRUE(all);
    EXPECT_EQ(all->last(), ~Uint128(0));
}

TEST(Cidr, RejectsMalformed) {
    for (const char* text : {"", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/a",
                             "10.0.0.256/8", "2001:db8::/129", "x/8", "10.0.0.0/0008"}) {
        EXPECT_FALSE(parse_cidr(text)) << text;
    }
}

TEST(Cidr, ContainsAndOverlaps) {
    auto a = *parse_cidr("10.0.0.0/24");
    EXPECT_TRUE(a.contains(*parse_ip("10.0.0.255")));
    EXPECT_FALSE(a.contains(*parse_ip("10.0.1.0")));
    EXPECT_FALSE(a.contains(*parse_ip("::ffff:10.0.0.1")));  // other family
    EXPECT_TRUE(overlaps(a, *parse_cidr("10.0.0.128/25")));
    EXPECT_TRUE(overlaps(a, *parse_cidr("10.0.0.0/8")));
    EXPECT_FALSE(overlaps(a, *parse_cidr("10.0.1.0/24")));
    EXPECT_FALSE(overlaps(a, *parse_cidr("::/0")));
}

TEST(IpText, RoundTripsCanonically) {
    EXPECT_EQ(format_ip(*parse_ip("2001:DB8:0:0::1")), "2001:db8::1");
    EXPECT_EQ(format_ip(*parse_ip("127.0.0.1")), "127.0.0.1");
    // Neutron's subset answers in the same RFC 5952 form as the load-balancer API.
    EXPECT_EQ(format_ip(*parse_ip("2001:0db8:0:0:0:0:0:1")), "2001:db8::1");
    EXPECT_EQ(format_ip(*parse_ip("::ffff:192.0.2.1")), "::ffff:c000:201");
    EXPECT_EQ(parse_cidr("2001:0db8:0:0:0:0:0:0/64")->text(), "2001:db8::/64");
    EXPECT_FALSE(parse_ip("fe80::1%eth0"));
    EXPECT_FALSE(parse_ip("1.2.3"));
}

}  // namespace
}  // namespace octane::networking
