#include "proxy/peers/engine_binding.h"

#include <gtest/gtest.h>

#include "proxy/config/parser.h"
#include "proxy/peers/table_key.h"

namespace octane::proxy::peers {
namespace {

std::unique_ptr<Snapshot> snapshot(const std::string& local_line) {
    auto out = config::parse_config({config::SourceFile{
        "t.cfg", "peers pp\n" + local_line +
                     "  peer B 127.0.0.1:1\n"
                     "backend be\n  balance roundrobin\n  stick-table type ip size 10k peers pp\n"
                     "  stick on src\n  server one 127.0.0.1:81\n  server two 127.0.0.1:82\n"}});
    EXPECT_TRUE(out.diag.errors().empty());
    return build_snapshot(std::move(out.config), 100);
}

struct Bound {
    std::unique_ptr<Snapshot> snap = snapshot("  peer A 127.0.0.1:0\n");
    BackendState& be = *snap->backends.at(0);
    TableBinding b = bind_backend(be, *definition_for("be", be.cfg->stick_table));
    std::string key = *wire_key(KeyType::kIpv4, "10.0.0.5");

    int stored() { return be.stick->lookup("10.0.0.5"); }
};

TEST(PeersEngineBinding, LearnsByServerNameFirstThenId) {
    Bound t;
    t.b.learn(Entry{t.key, 1, "two"});  // the name wins over a stale id, as in HAProxy 2.6
    EXPECT_EQ(t.stored(), 1);
    t.b.learn(Entry{t.key, 1, "gone"});  // an unknown name falls back to the id
    EXPECT_EQ(t.stored(), 0);
    t.b.learn(Entry{t.key, 2, std::nullopt});
    EXPECT_EQ(t.stored(), 1);
    t.b.learn(Entry{t.key, 9, "gone"});  // neither: the entry stays as it was
    EXPECT_EQ(t.stored(), 1);
}

TEST(PeersEngineBinding, EntriesCarryPuidAndName) {
    Bound t;
    t.be.stick->store("10.0.0.7", 1);
    auto entries = t.b.entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].key, *wire_key(KeyType::kIpv4, "10.0.0.7"));
    EXPECT_EQ(entries[0].server_id, 2);
    EXPECT_EQ(entries[0].server_key, "two");
}

TEST(PeersEngineBinding, ServicesForSectionsWeArePeerOf) {
    auto snap = snapshot("  peer A 127.0.0.1:0\n");
    std::vector<std::string> warnings;
    auto services = open_services(
        *snap, "A", [](const std::string&) { return -1; }, warnings);
    EXPECT_EQ(services.size(), 1u);
    EXPECT_TRUE(warnings.empty());
    EXPECT_TRUE(static_cast<bool>(snap->backends.at(0)->stick_stored));

    auto other = snapshot("");
    auto none = open_services(
        *other, "A", [](const std::string&) { return -1; }, warnings);
    EXPECT_TRUE(none.empty());
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("no peer named 'A'"), std::string::npos) << warnings[0];
    EXPECT_FALSE(static_cast<bool>(other->backends.at(0)->stick_stored));
}

}  // namespace
}  // namespace octane::proxy::peers
