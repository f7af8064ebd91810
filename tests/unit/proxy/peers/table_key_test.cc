#include "proxy/peers/table_key.h"

#include <gtest/gtest.h>

namespace octane::proxy::peers {
namespace {

TEST(PeersTableKey, Ipv4) {
    auto w = wire_key(KeyType::kIpv4, "10.0.0.5");
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(*w, std::string("\x0a\x00\x00\x05", 4));
    EXPECT_EQ(engine_key(KeyType::kIpv4, *w), "10.0.0.5");
    EXPECT_EQ(wire_key(KeyType::kIpv4, "::ffff:10.0.0.5"), w);
    EXPECT_FALSE(wire_key(KeyType::kIpv4, "2001:db8::1").has_value());
}

TEST(PeersTableKey, Ipv6AndMappedIpv4) {
    auto w = wire_key(KeyType::kIpv6, "2001:db8::1");
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(w->size(), 16u);
    EXPECT_EQ(engine_key(KeyType::kIpv6, *w), "2001:db8::1");
    auto m = wire_key(KeyType::kIpv6, "10.0.0.5");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(engine_key(KeyType::kIpv6, *m), "10.0.0.5");
}

TEST(PeersTableKey, IntegerAndString) {
    auto w = wire_key(KeyType::kSint, "258");
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(*w, std::string("\x00\x00\x01\x02", 4));
    EXPECT_EQ(engine_key(KeyType::kSint, *w), "258");
    EXPECT_FALSE(wire_key(KeyType::kSint, "x").has_value());
    EXPECT_EQ(wire_key(KeyType::kString, "abc"), "abc");
}

TEST(PeersTableKey, DefinitionsAsHaproxyAnnouncesThem) {
    config::StickTable t;
    t.type = "string";
    t.len = 64;
    auto d = definition_for("pool", t);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->key_len, 65u);
    t.type = "ip";
    d = definition_for("pool", t);
    EXPECT_EQ(d->key_type, KeyType::kIpv4);
    EXPECT_EQ(d->data_types, (1ULL << 0) | (1ULL << 19));
}

}  // namespace
}  // namespace octane::proxy::peers
