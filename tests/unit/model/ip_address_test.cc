#include "model/ip_address.h"

#include <array>
#include <cstdint>
#include <random>

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "common/ipv6_text.h"

namespace octane::model {
namespace {

std::array<std::uint8_t, 16> bytes_of(const char* text) {
    std::array<std::uint8_t, 16> bytes{};
    EXPECT_EQ(inet_pton(AF_INET6, text, bytes.data()), 1) << text;
    return bytes;
}

TEST(IpAddress, AcceptsLiteralsOnly) {
    EXPECT_TRUE(is_ip_literal("10.0.0.1"));
    EXPECT_TRUE(is_ip_literal("2001:db8:0:0:0:0:0:1"));
    EXPECT_TRUE(is_ip_literal("2001:DB8::1"));
    EXPECT_FALSE(is_ip_literal("192.168.101.300"));
    EXPECT_FALSE(is_ip_literal("selfservice"));
    EXPECT_FALSE(is_ip_literal("fe80::1%eth0"));
    EXPECT_FALSE(is_ip_literal("10.0.0.1\n"));
    EXPECT_FALSE(is_ip_literal(""));
}

TEST(IpAddress, VersionOfAddressesAndCidrs) {
    EXPECT_EQ(ip_version("192.0.2.1"), 4);
    EXPECT_EQ(ip_version("192.0.2.0/24"), 4);
    EXPECT_EQ(ip_version("2001:db8::1"), 6);
    EXPECT_EQ(ip_version("2000::/6"), 6);
    EXPECT_EQ(ip_version("nonsense"), 0);
}

// RFC 5952 §4 and its examples.
TEST(Ipv6Text, Rfc5952Form) {
    EXPECT_EQ(format_ipv6(bytes_of("2001:0db8:0000:0000:0000:0000:0000:0001")), "2001:db8::1");
    EXPECT_EQ(format_ipv6(bytes_of("2001:DB8:0:0:0:0:0:1")), "2001:db8::1");
    // §4.2.2: one zero group stays "0".
    EXPECT_EQ(format_ipv6(bytes_of("2001:db8:0:1:1:1:1:1")), "2001:db8:0:1:1:1:1:1");
    // §4.2.3: the longest run, the first one on a tie.
    EXPECT_EQ(format_ipv6(bytes_of("2001:0:0:1:0:0:0:1")), "2001:0:0:1::1");
    EXPECT_EQ(format_ipv6(bytes_of("2001:db8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");
    EXPECT_EQ(format_ipv6(bytes_of("0:0:0:0:0:0:0:0")), "::");
    EXPECT_EQ(format_ipv6(bytes_of("0:0:0:0:0:0:0:1")), "::1");
    EXPECT_EQ(format_ipv6(bytes_of("1:0:0:0:0:0:0:0")), "1::");
    // Hex groups throughout, as Python's ipaddress prints an IPv4-mapped address.
    EXPECT_EQ(format_ipv6(bytes_of("::ffff:192.0.2.1")), "::ffff:c000:201");
}

// Any address: the text parses back to the same bytes, has at most one "::" and no group with a
// leading zero or an upper-case digit.
TEST(Ipv6Text, RoundTripsRandomAddresses) {
    std::mt19937 rng(5952);
    for (int n = 0; n < 5000; ++n) {
        std::array<std::uint8_t, 16> bytes{};
        for (auto& b : bytes) {
            // Many zero bytes, so runs of zero groups of every length and position occur.
            b = rng() % 3 == 0 ? static_cast<std::uint8_t>(rng()) : 0;
        }
        std::string text = format_ipv6(bytes);
        std::array<std::uint8_t, 16> back{};
        ASSERT_EQ(inet_pton(AF_INET6, text.c_str(), back.data()), 1) << text;
        EXPECT_EQ(back, bytes) << text;
        size_t first = text.find("::");
        EXPECT_TRUE(first == std::string::npos || text.find("::", first + 1) == std::string::npos)
            << text;
        for (size_t i = 0; i < text.size(); ++i) {
            bool group_start = i == 0 || text[i - 1] == ':';
            if (group_start && text[i] == '0' && i + 1 < text.size() && text[i + 1] != ':') {
                ADD_FAILURE() << "leading zero in " << text;
            }
            EXPECT_FALSE(text[i] >= 'A' && text[i] <= 'F') << text;
        }
    }
}

TEST(Cidr, NormalizesLikeStrictFalse) {
    EXPECT_EQ(normalize_cidr("10.0.0.1/8"), "10.0.0.0/8");
    EXPECT_EQ(normalize_cidr("192.168.1.7"), "192.168.1.7/32");
    EXPECT_EQ(normalize_cidr("2001:db8::1/32"), "2001:db8::/32");
    EXPECT_EQ(normalize_cidr("2001:0DB8:0:0:0:0:0:0/64"), "2001:db8::/64");
    EXPECT_EQ(normalize_cidr("2001:db8::/6"), "2000::/6");
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
