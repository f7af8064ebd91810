#include "model/ip_address.h"

#include <gtest/gtest.h>

namespace octane::model {
namespace {

TEST(IpAddress, Normalizes) {
    EXPECT_EQ(normalize_ip("10.0.0.1"), "10.0.0.1");
    EXPECT_EQ(normalize_ip("2001:DB8::0:1"), "2001:db8::1");
    EXPECT_FALSE(normalize_ip("192.168.101.300"));
    EXPECT_FALSE(normalize_ip("selfservice"));
}

TEST(Cidr, NormalizesLikeStrictFalse) {
    EXPECT_EQ(normalize_cidr("10.0.0.1/8"), "10.0.0.0/8");
    EXPECT_EQ(normalize_cidr("192.168.1.7"), "192.168.1.7/32");
    EXPECT_EQ(normalize_cidr("2001:db8::1/32"), "2001:db8::/32");
    EXPECT_FALSE(normalize_cidr("10.0.0.0/33"));
    EXPECT_FALSE(normalize_cidr("10.0.0.0/x"));
}

TEST(Cidr, Contains) {
    EXPECT_TRUE(cidr_contains("10.0.0.0/8", "10.200.3.4"));
    EXPECT_FALSE(cidr_contains("10.0.0.0/8", "11.0.0.1"));
    EXPECT_FALSE(cidr_contains("10.0.0.0/8", "::1"));
}

}  // namespace
}  // namespace octane::model
