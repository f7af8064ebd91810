#include "proxy/peers/session.h"

#include <gtest/gtest.h>

#include "test_tables.h"

namespace octane::proxy::peers {
namespace {

std::vector<TableDefinition> tables() {
    return {ip_table()};
}

struct Pair {
    std::vector<TableDefinition> defs = tables();
    Session a{Session::Side::kConnect, {"a", {"b"}, &defs, 1}, "b"};
    Session b{Session::Side::kAccept, {"b", {"a"}, &defs, 2}};
    std::vector<SessionEvent> ea, eb;

    // Moves bytes both ways until neither side has anything to say (bounded).
    void pump() {
        for (int i = 0; i < 16; ++i) {
            std::string to_b = std::move(a.out());
            a.out().clear();
            std::string to_a = std::move(b.out());
            b.out().clear();
            if (to_a.empty() && to_b.empty()) {
                return;
            }
            b.feed(to_b, eb);
            a.feed(to_a, ea);
        }
    }
};

bool has(const std::vector<SessionEvent>& ev, SessionEvent::Kind k) {
    for (const auto& e : ev) {
        if (e.kind == k) {
            return true;
        }
    }
    return false;
}

TEST(PeersSession, HandshakeThenUpdatesFlowBothWays) {
    Pair p;
    p.pump();
    ASSERT_TRUE(p.a.established());
    ASSERT_TRUE(p.b.established());
    EXPECT_EQ(p.b.peer(), "a");
    EXPECT_TRUE(has(p.ea, SessionEvent::kEstablished));

    p.a.push(0, 1, Entry{std::string("\x7f\x00\x00\x09", 4), 2, "srv2"});
    p.a.push(0, 2, Entry{std::string("\x7f\x00\x00\x0a", 4), 1, "srv1"});
    p.pump();
    std::vector<Entry> learned;
    for (const auto& e : p.eb) {
        if (e.kind == SessionEvent::kLearned) {
            learned.push_back(e.entry);
        }
    }
    ASSERT_EQ(learned.size(), 2u);
    EXPECT_EQ(learned[1].server_key, "srv1");
    EXPECT_EQ(learned[1].server_id, 1);

    p.b.push(0, 1, Entry{std::string("\x7f\x00\x00\x0b", 4), 3, "srv3"});
    p.pump();
    EXPECT_TRUE(has(p.ea, SessionEvent::kLearned));
}

TEST(PeersSession, ResyncRequestFinishConfirm) {
    Pair p;
    p.pump();
    p.a.send_control(kResyncRequest);
    p.pump();
    EXPECT_TRUE(has(p.eb, SessionEvent::kResyncRequested));
    p.b.send_control(kResyncFinished);
    p.pump();
    EXPECT_TRUE(has(p.ea, SessionEvent::kResyncFinished));
    EXPECT_TRUE(has(p.eb, SessionEvent::kResyncConfirmed));  // a confirmed on its own
}

TEST(PeersSession, UnknownPeerGets504) {
    std::vector<TableDefinition> defs = tables();
    Session b{Session::Side::kAccept, {"b", {"a"}, &defs, 2}};
    std::vector<SessionEvent> ev;
    b.feed("HAProxyS 2.1\nb\nstranger 1 1\n", ev);
    EXPECT_EQ(b.out(), "504\n");
    EXPECT_TRUE(b.closed());
}

TEST(PeersSession, RefusedHandshakeCloses) {
    std::vector<TableDefinition> defs = tables();
    Session a{Session::Side::kConnect, {"a", {"b"}, &defs, 1}, "b"};
    std::vector<SessionEvent> ev;
    a.feed("503\n", ev);
    EXPECT_TRUE(a.closed());
    EXPECT_TRUE(has(ev, SessionEvent::kClosed));
}

TEST(PeersSession, AcksWhatItReceived) {
    Pair p;
    p.pump();
    p.a.push(0, 41, Entry{std::string("\x7f\x00\x00\x09", 4), 2, "srv2"});
    std::string to_b = p.a.out();
    p.a.out().clear();
    p.b.feed(to_b, p.eb);
    auto f = next_frame(p.b.out());
    ASSERT_EQ(f.state, Parse::kOk);
    ASSERT_EQ(f.frame.type, kAck);
    auto ack = decode_ack(f.frame.payload);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->table_id, 1u);
    EXPECT_EQ(ack->update_id, 41u);
}

TEST(PeersSession, TableOfAnotherShapeIsIgnored) {
    Pair p;
    p.pump();
    // The same name with ipv6 keys: updates are parsed but not applied.
    std::string out;
    TableDefinition other = tables()[0];
    other.key_type = KeyType::kIpv6;
    other.key_len = 16;
    put_define(out, other);
    put_update(out, other, 1, Entry{std::string(16, '\1'), 1, "srv1"});
    p.b.feed(out, p.eb);
    EXPECT_FALSE(has(p.eb, SessionEvent::kLearned));
    EXPECT_FALSE(p.b.closed());
}

TEST(PeersSession, GarbageIsAProtocolError) {
    Pair p;
    p.pump();
    std::string bad;
    put_define(bad, tables()[0]);
    put_message(bad, kUpdate, "\x01");  // shorter than an update id
    p.b.feed(bad, p.eb);
    EXPECT_TRUE(p.b.closed());
    EXPECT_EQ(p.b.out().substr(p.b.out().size() - 2), std::string("\x01\x00", 2));
}

}  // namespace
}  // namespace octane::proxy::peers
