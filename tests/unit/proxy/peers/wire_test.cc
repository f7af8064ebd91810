#include "proxy/peers/wire.h"

#include <gtest/gtest.h>

#include "test_tables.h"

namespace octane::proxy::peers {
namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int c : b) {
        s.push_back(static_cast<char>(c));
    }
    return s;
}

TEST(PeersVarint, BoundariesMatchTheSpec) {
    // The documented byte counts: 1 below 240, 2 below 2288, 3 below 264432, 4 below 33818864.
    struct Case {
        uint64_t v;
        size_t len;
    } cases[] = {{0, 1},        {239, 1},        {240, 2},        {2287, 2},
                 {2288, 3},     {264431, 3},     {264432, 4},     {33818863, 4},
                 {33818864, 5}, {4328786159, 5}, {4328786160, 6}, {UINT64_MAX, 10}};
    for (const auto& c : cases) {
        std::string out;
        put_varint(out, c.v);
        EXPECT_EQ(out.size(), c.len) << c.v;
        std::string_view in(out);
        auto back = take_varint(in);
        ASSERT_TRUE(back.has_value()) << c.v;
        EXPECT_EQ(*back, c.v);
        EXPECT_TRUE(in.empty());
    }
}

TEST(PeersVarint, KnownEncodings) {
    std::string out;
    put_varint(out, 240);
    EXPECT_EQ(out, bytes({0xf0, 0x00}));
    out.clear();
    put_varint(out, 1000);  // 1000 = 0xe8: low nibble 8 | 0xf0, then (1000 - 240) >> 4 = 47
    EXPECT_EQ(out, bytes({0xf8, 47}));
}

TEST(PeersVarint, TruncatedAndOverlongAreRejected) {
    std::string_view cut("\xf8", 1);
    EXPECT_FALSE(take_varint(cut).has_value());
    std::string longer(11, '\xff');
    std::string_view in(longer);
    EXPECT_FALSE(take_varint(in).has_value());
}

TEST(PeersHello, RoundTripAndStatusCodes) {
    std::string h = encode_hello(Hello{2, 1, "b", "a", 42, 1});
    EXPECT_EQ(h, "HAProxyS 2.1\nb\na 42 1\n");
    auto ok = parse_hello(h, "b");
    ASSERT_EQ(ok.state, Parse::kOk);
    EXPECT_EQ(ok.hello.local, "a");
    EXPECT_EQ(ok.hello.pid, 42);
    EXPECT_EQ(ok.consumed, h.size());

    EXPECT_EQ(parse_hello("HAProxyS 2.1\nb\na 4", "b").state, Parse::kNeedMore);
    EXPECT_EQ(parse_hello("HAProxyX 2.1\n", "b").status, kStatusProtocolError);
    EXPECT_EQ(parse_hello("HAProxyS 3.0\n", "b").status, kStatusBadVersion);
    EXPECT_EQ(parse_hello("HAProxyS 2.2\n", "b").status, kStatusBadVersion);
    EXPECT_EQ(parse_hello("HAProxyS 2.0\nb\na 1 1\n", "b").state, Parse::kOk);  // 2.0 peers
    EXPECT_EQ(parse_hello("HAProxyS 2.1\nc\na 1 1\n", "b").status, kStatusLocalMismatch);
    EXPECT_EQ(parse_hello("HAProxyS 2.1\nb\nnospace\n", "b").status, kStatusProtocolError);
    EXPECT_EQ(parse_hello(std::string(2000, 'x'), "b").status, kStatusProtocolError);
}

TEST(PeersStatus, Parses) {
    auto s = parse_status("200\nrest");
    ASSERT_EQ(s.state, Parse::kOk);
    EXPECT_EQ(s.code, 200);
    EXPECT_EQ(s.consumed, 4u);
    EXPECT_EQ(parse_status("50").state, Parse::kNeedMore);
    EXPECT_EQ(parse_status("abc\n").state, Parse::kError);
}

TEST(PeersFrame, ControlAndTableMessages) {
    std::string out;
    put_control(out, kControl, kHeartbeat);
    put_message(out, kSwitch, "\x05");
    auto f = next_frame(out);
    ASSERT_EQ(f.state, Parse::kOk);
    EXPECT_EQ(f.frame.cls, kControl);
    EXPECT_EQ(f.frame.type, kHeartbeat);
    EXPECT_EQ(f.frame.size, 2u);
    auto g = next_frame(std::string_view(out).substr(2));
    ASSERT_EQ(g.state, Parse::kOk);
    EXPECT_EQ(g.frame.cls, kStickTable);
    EXPECT_EQ(g.frame.payload, "\x05");
    EXPECT_EQ(next_frame(std::string_view(out).substr(2, 2)).state, Parse::kNeedMore);

    std::string big;
    put_control(big, kStickTable, kUpdate);
    put_varint(big, kMaxPayload + 1);
    auto e = next_frame(big);
    EXPECT_EQ(e.state, Parse::kError);
    EXPECT_TRUE(e.too_large);
}

TEST(PeersDefine, RoundTrip) {
    std::string out;
    put_define(out, ip_table(3, "pool_a"));
    auto f = next_frame(out);
    ASSERT_EQ(f.state, Parse::kOk);
    EXPECT_EQ(f.frame.type, kDefine);
    // id 3, name, type 4, keylen 4, bits 0 and 19 (0x80001 = 524289, 3 bytes), expire 0.
    EXPECT_EQ(f.frame.payload.substr(0, 8), std::string("\x03\x06pool_a", 8));
    auto d = decode_define(f.frame.payload);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->id, 3u);
    EXPECT_EQ(d->name, "pool_a");
    EXPECT_EQ(d->key_type, KeyType::kIpv4);
    EXPECT_EQ(d->data_types, ip_table(3, "pool_a").data_types);
}

TEST(PeersDefine, ParametersOfFrequencyAndArrayTypes) {
    // conn_rate (bit 5, period 10000) and gpc (bit 23, an array of 2), as HAProxy sends them.
    std::string p;
    put_varint(p, 1);
    put_varint(p, 2);
    p += "be";
    put_varint(p, 4);
    put_varint(p, 4);
    put_varint(p, (1ULL << 5) | (1ULL << 23));
    put_varint(p, 30000);
    put_varint(p, 5);
    put_varint(p, 10000);
    put_varint(p, 23);
    put_varint(p, 2);
    auto d = decode_define(p);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->expire_ms, 30000u);
    EXPECT_EQ(d->array_len[23], 2u);
    // Without the parameters (an old peer's define ends after the bitfield) an array cannot be
    // read, a frequency counter can.
    std::string bare;
    put_varint(bare, 1);
    put_varint(bare, 2);
    bare += "be";
    put_varint(bare, 4);
    put_varint(bare, 4);
    EXPECT_TRUE(decode_define(bare + "\x20").has_value());
    std::string array_bits;
    put_varint(array_bits, 1ULL << 23);
    EXPECT_FALSE(decode_define(bare + array_bits).has_value());
}

TEST(PeersUpdate, RoundTripWithServerKey) {
    std::string out;
    TableDefinition t = ip_table(3, "pool_a");
    put_update(out, t, 7, Entry{std::string("\x0a\x00\x00\x05", 4), 2, "member-b"});
    auto f = next_frame(out);
    ASSERT_EQ(f.state, Parse::kOk);
    DictCache dict;
    auto u = decode_update(f.frame.type, f.frame.payload, t, dict);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->update_id, 7u);
    EXPECT_EQ(u->entry.key, std::string("\x0a\x00\x00\x05", 4));
    EXPECT_EQ(u->entry.server_id, 2);
    EXPECT_EQ(u->entry.server_key, "member-b");
    EXPECT_EQ(dict[0], "member-b");
}

TEST(PeersUpdate, TimedIncrementalAndCachedDictionary) {
    // HAProxy's teach messages: incremental + timed, server_key by cached dictionary id only.
    TableDefinition t = ip_table(3, "pool_a");
    DictCache dict;
    dict[4] = "member-c";
    std::string p;
    p += std::string("\x00\x00\x75\x30", 4);  // expire 30000 ms
    p += std::string("\xc0\xa8\x00\x01", 4);
    put_varint(p, 3);  // server_id
    put_varint(p, 1);  // dict: 1 byte follows
    put_varint(p, 5);  // id 5, no value: cached
    auto u = decode_update(kIncUpdateTimed, p, t, dict);
    ASSERT_TRUE(u.has_value());
    EXPECT_FALSE(u->update_id.has_value());
    EXPECT_EQ(u->expire_ms, 30000u);
    EXPECT_EQ(u->entry.server_key, "member-c");
    EXPECT_EQ(u->entry.server_id, 3);
}

TEST(PeersUpdate, SkipsOtherDataTypes) {
    TableDefinition t = ip_table(3, "pool_a");
    t.data_types |= (1ULL << 5) | (1ULL << 13);  // conn_rate (3 varints), bytes_in_cnt
    std::string p = std::string("\x00\x00\x00\x01", 4) + std::string("\x01\x02\x03\x04", 4);
    put_varint(p, 9);   // server_id
    put_varint(p, 10);  // conn_rate tick
    put_varint(p, 11);
    put_varint(p, 12);
    put_varint(p, 5000);  // bytes_in
    put_varint(p, 0);     // no server_key
    DictCache dict;
    auto u = decode_update(kUpdate, p, t, dict);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->entry.server_id, 9);
    EXPECT_FALSE(u->entry.server_key.has_value());
}

TEST(PeersUpdate, MalformedIsRejected) {
    TableDefinition t = ip_table(3, "pool_a");
    DictCache dict;
    EXPECT_FALSE(decode_update(kUpdate, std::string("\x00\x00\x00", 3), t, dict).has_value());
    std::string p = std::string("\x00\x00\x00\x01", 4) + std::string("\x01\x02\x03\x04", 4);
    put_varint(p, 1);
    put_varint(p, 1);
    put_varint(p, 200);  // dictionary id beyond the 128-entry cache
    EXPECT_FALSE(decode_update(kUpdate, p, t, dict).has_value());
}

TEST(PeersUpdate, StringKeys) {
    TableDefinition t = ip_table(3, "pool_a");
    t.key_type = KeyType::kString;
    t.key_len = 5;  // `len 4`
    std::string out;
    put_update(out, t, 1, Entry{"cookievalue", 1, std::nullopt});
    auto f = next_frame(out);
    DictCache dict;
    auto u = decode_update(f.frame.type, f.frame.payload, t, dict);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->entry.key, "cook");
}

TEST(PeersAck, RoundTrip) {
    std::string out;
    put_ack(out, Ack{2, 0x01020304});
    auto f = next_frame(out);
    ASSERT_EQ(f.state, Parse::kOk);
    auto a = decode_ack(f.frame.payload);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->table_id, 2u);
    EXPECT_EQ(a->update_id, 0x01020304u);
}

}  // namespace
}  // namespace octane::proxy::peers
