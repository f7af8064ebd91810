#include "wire/stats_report.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace octane::wire {
namespace {

// Shape of haproxy 2.6 `show stat` (columns trimmed to the ones used, plus a trailing comma).
std::string show_stat(int bin, int bout, int stot) {
    std::string b = std::to_string(bin), o = std::to_string(bout), s = std::to_string(stot);
    return "# pxname,svname,scur,stot,bin,bout,ereq,status,weight,\n"
           "l1,FRONTEND,2," +
           s + "," + b + "," + o +
           ",1,OPEN,,\n"
           "p1:l1,m1,1,3,10,20,,UP,1,\n"
           "p1:l1,m2,0,0,0,0,,UP,0,\n"
           "p1:l1,m3,0,0,0,0,,DOWN 1/3,1,\n"
           "p1:l1,m4,0,0,0,0,,no check,1,\n"
           "p1:l1,BACKEND,1,3,10,20,,UP,2,\n"
           "prometheus-exporter-internal,FRONTEND,0,0,0,0,0,OPEN,,\n"
           "\n";
}

TEST(StatsReport, BuildsHeartbeatWithDeltas) {
    auto rows = parse_show_stat(show_stat(100, 200, 5));
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    CounterState counters;
    Heartbeat first = heartbeat_from_stats(*rows, "amp", 1, counters);
    EXPECT_EQ(first.listeners.size(), 1u);  // prometheus left out
    const ListenerReport& l = first.listeners.at("l1");
    EXPECT_EQ(l.status, "OPEN");
    EXPECT_EQ(l.stats.rx, 100);
    EXPECT_EQ(l.stats.tx, 200);
    EXPECT_EQ(l.stats.conns, 2);
    EXPECT_EQ(l.stats.totconns, 5);
    EXPECT_EQ(l.stats.ereq, 1);
    const PoolReport& p = first.pools.at("p1:l1");
    EXPECT_EQ(p.status, "UP");
    EXPECT_EQ(p.members.at("m1"), "UP");
    EXPECT_EQ(p.members.at("m2"), "DRAIN");
    EXPECT_EQ(p.members.at("m3"), "DOWN 1/3");
    EXPECT_EQ(p.members.at("m4"), "no check");

    Heartbeat second =
        heartbeat_from_stats(*parse_show_stat(show_stat(150, 260, 7)), "amp", 2, counters);
    EXPECT_EQ(second.listeners.at("l1").stats.rx, 50);
    EXPECT_EQ(second.listeners.at("l1").stats.tx, 60);
    EXPECT_EQ(second.listeners.at("l1").stats.totconns, 2);
    EXPECT_EQ(second.listeners.at("l1").stats.ereq, 0);
    EXPECT_EQ(second.listeners.at("l1").stats.conns, 2);  // gauge, not a delta

    // Engine restarted: counters went backwards, the new absolute value is sent.
    Heartbeat third =
        heartbeat_from_stats(*parse_show_stat(show_stat(30, 40, 1)), "amp", 3, counters);
    EXPECT_EQ(third.listeners.at("l1").stats.rx, 30);
}

TEST(StatsReport, CountersSurviveJson) {
    CounterState counters{{"l1", {1, 2, 3, 4}}};
    CounterState back = counters_from_json(to_json(counters));
    EXPECT_EQ(back.at("l1").bout, 2);
    EXPECT_EQ(back.at("l1").ereq, 4);
    EXPECT_TRUE(counters_from_json(nlohmann::json::array()).empty());
}

// Captured from haproxy 2.6.12 (`show stat` on a stats socket): a checked server that is down, a
// weight-0 and a plain server without checks, a disabled one.
TEST(StatsReport, ParsesRealHaproxyOutput) {
    std::ifstream in(std::string(OCTANE_WIRE_TESTDATA) + "/show_stat_haproxy26.csv");
    std::stringstream text;
    text << in.rdbuf();
    auto rows = parse_show_stat(text.str());
    ASSERT_TRUE(rows.has_value()) << rows.error().message;
    CounterState counters;
    Heartbeat hb = heartbeat_from_stats(*rows, "amp", 1, counters);
    const std::string listener = "0f456a63-2634-4721-90d0-090067cf73ac";
    EXPECT_EQ(hb.listeners.at(listener).status, "OPEN");
    const PoolReport& pool = hb.pools.at("6e971b0d-1290-4b1f-9086-6de666b52755:" + listener);
    EXPECT_EQ(pool.status, "UP");
    EXPECT_EQ(pool.members.at("e233ccec-db0e-4966-acda-493eb35d77de"), "DOWN");
    EXPECT_EQ(pool.members.at("b4cad0a3-64e9-47dd-b19d-8f784e9ea4c1"), "no check");
    EXPECT_EQ(pool.members.at("c4cad0a3-64e9-47dd-b19d-8f784e9ea4c1"), "MAINT");
    EXPECT_EQ(pool.members.at("d4cad0a3-64e9-47dd-b19d-8f784e9ea4c1"), "no check");
}

TEST(StatsReport, RejectsOutputWithoutHeader) {
    EXPECT_FALSE(parse_show_stat("Unknown command\n").has_value());
}

}  // namespace
}  // namespace octane::wire
