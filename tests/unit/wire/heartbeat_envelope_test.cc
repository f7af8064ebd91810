// Heartbeat envelope: round trip, and every way a datagram must be dropped (with its reason).

#include "wire/heartbeat_envelope.h"

#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <zlib.h>

namespace octane::wire {
namespace {

constexpr std::string_view kKey = "insecure";

Heartbeat sample() {
    Heartbeat hb;
    hb.amphora_id = "4e50fb92-e0b8-4042-a8a5-60415cbe7328";
    hb.seq = 42;
    hb.listeners["l1"] = {"OPEN", {100, 200, 3, 7, 1}};
    hb.pools["p1:l1"] = {"UP", {{"m1", "UP"}, {"m2", "DOWN"}, {"m3", "no check"}}};
    return hb;
}

std::string deflate9(std::string_view text) {
    uLongf size = compressBound(text.size());
    std::string out(size, '\0');
    compress2(reinterpret_cast<Bytef*>(out.data()), &size,
              reinterpret_cast<const Bytef*>(text.data()), text.size(), 9);
    out.resize(size);
    return out;
}

std::string raw_hmac(std::string_view data, std::string_view key) {
    unsigned char digest[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &len);
    return std::string(reinterpret_cast<char*>(digest), len);
}

int code_of(HeartbeatError e) {
    return static_cast<int>(e);
}

TEST(HeartbeatEnvelope, RoundTrip) {
    auto decoded = decode_heartbeat(encode_heartbeat(sample(), kKey), kKey);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(decoded->amphora_id, sample().amphora_id);
    EXPECT_EQ(decoded->seq, 42);
    EXPECT_EQ(decoded->ver, 3);
    EXPECT_EQ(decoded->listeners.at("l1").status, "OPEN");
    EXPECT_EQ(decoded->listeners.at("l1").stats.tx, 100);
    EXPECT_EQ(decoded->listeners.at("l1").stats.ereq, 1);
    EXPECT_EQ(decoded->pools.at("p1:l1").members.at("m3"), "no check");
}

TEST(HeartbeatEnvelope, DigestIsLowercaseHexAppended) {
    std::string d = encode_heartbeat(sample(), kKey);
    std::string digest = d.substr(d.size() - 64);
    EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(HeartbeatEnvelope, AcceptsLegacyRawDigest) {
    std::string z = deflate9(to_json(sample()).dump());
    auto decoded = decode_heartbeat(z + raw_hmac(z, kKey), kKey);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(decoded->listeners.size(), 1u);
}

struct DropCase {
    const char* name;
    std::string datagram;
    HeartbeatError reason;
};

std::vector<DropCase> drop_cases() {
    std::string good = encode_heartbeat(sample(), kKey);
    std::string flipped = good;
    flipped[5] = static_cast<char>(flipped[5] ^ 0x01);
    std::string not_zlib = "this is not zlib at all";
    std::string bad_json = deflate9("{not json");
    std::string v1 = deflate9(R"({"id":"a","ver":1,"listeners":{}})");
    std::string no_ver = deflate9(R"({"id":"a","listeners":{}})");
    std::string no_id = deflate9(R"({"ver":3,"listeners":{}})");
    std::string bad_stats = deflate9(R"({"id":"a","ver":3,"listeners":{"l":{"stats":"x"}}})");
    std::string cut_stream = deflate9(to_json(sample()).dump()).substr(0, 20);
    auto seal = [](const std::string& z) { return z + raw_hmac(z, kKey); };
    return {
        {"tampered", flipped, HeartbeatError::kBadHmac},
        {"wrong_key", encode_heartbeat(sample(), "other"), HeartbeatError::kBadHmac},
        {"truncated_tail", good.substr(0, good.size() - 10), HeartbeatError::kBadHmac},
        {"too_short", good.substr(0, 20), HeartbeatError::kTruncated},
        {"empty", "", HeartbeatError::kTruncated},
        {"oversized", std::string(kMaxDatagram + 1, 'x'), HeartbeatError::kOversized},
        {"bad_zlib", seal(not_zlib), HeartbeatError::kBadZlib},
        {"cut_zlib_stream", seal(cut_stream), HeartbeatError::kBadZlib},
        {"trailing_garbage", seal(deflate9("{}") + "xx"), HeartbeatError::kBadZlib},
        {"bad_json", seal(bad_json), HeartbeatError::kBadJson},
        {"version_1", seal(v1), HeartbeatError::kBadVersion},
        {"no_version", seal(no_ver), HeartbeatError::kBadVersion},
        {"no_id", seal(no_id), HeartbeatError::kBadSchema},
        {"bad_stats", seal(bad_stats), HeartbeatError::kBadSchema},
    };
}

TEST(HeartbeatEnvelope, DropsBadDatagramsWithReason) {
    for (const DropCase& c : drop_cases()) {
        auto decoded = decode_heartbeat(c.datagram, kKey);
        ASSERT_FALSE(decoded.has_value()) << c.name;
        EXPECT_EQ(decoded.error().code, code_of(c.reason))
            << c.name << ": " << decoded.error().message;
        EXPECT_FALSE(decoded.error().message.empty()) << c.name;
    }
}

TEST(HeartbeatEnvelope, RefusesZlibBomb) {
    std::string huge(kMaxInflated + 1024, ' ');
    std::string z = deflate9(huge);
    ASSERT_LT(z.size(), kMaxDatagram);
    auto decoded = decode_heartbeat(z + raw_hmac(z, kKey), kKey);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, code_of(HeartbeatError::kBadZlib));
}

TEST(HeartbeatEnvelope, AcceptsVersion2AndEmptyKey) {
    std::string z = deflate9(R"({"id":"a","seq":1,"ver":2,"listeners":{},"pools":{}})");
    auto decoded = decode_heartbeat(z + raw_hmac(z, ""), "");
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(decoded->ver, 2);
}

TEST(HeartbeatEnvelope, MaxSizeDatagramIsConsidered) {
    std::string d(kMaxDatagram, 'x');
    auto decoded = decode_heartbeat(d, kKey);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, code_of(HeartbeatError::kBadHmac));
}

TEST(HeartbeatPayload, PoolIdOfKey) {
    EXPECT_EQ(pool_id_of("pool-1:listener-1"), "pool-1");
    EXPECT_EQ(pool_id_of("pool-1"), "pool-1");
}

TEST(HeartbeatPayload, ErrorNames) {
    EXPECT_STREQ(to_string(HeartbeatError::kBadHmac), "bad_hmac");
    EXPECT_STREQ(to_string(HeartbeatError::kOversized), "oversized");
}

}  // namespace
}  // namespace octane::wire
