// `set weight` / `get weight` on the stats socket (runtime/stats_commands.h): HAProxy's forms and
// messages, and the balancer following the new weight at once.

#include <map>

#include <gtest/gtest.h>

#include "proxy/config/parser.h"
#include "proxy/runtime/access_log.h"
#include "proxy/runtime/stats_commands.h"

namespace octane::proxy {
namespace {

struct Cli {
    std::unique_ptr<Snapshot> snap;
    ProcessInfo info;
    std::atomic<bool> stopping{false};
    AccessLog log{{}};
    std::vector<ThreadActivity> activity;
    std::unique_ptr<StatsCommands> commands;

    explicit Cli(const std::string& backend_lines) {
        auto out = config::parse_config({config::SourceFile{
            "t.cfg", "backend be\n" + backend_lines +
                         " server a 127.0.0.1:2 weight 2\n server b 127.0.0.1:3 weight 2\n"}});
        EXPECT_TRUE(out.diag.ok());
        snap = build_snapshot(std::move(out.config), 100);
        commands = std::make_unique<StatsCommands>(*snap, info, stopping, log, activity);
    }
    std::string run(const std::string& command) { return commands->run(command, true); }
    std::map<std::string, int> picks(int n) {
        BackendState& be = *snap->backends[0];
        std::map<std::string, int> out;
        for (int i = 0; i < n; ++i) {
            ServerState* s = be.pick({}, nullptr);
            out[s == nullptr ? "-" : s->cfg->name]++;
            if (s != nullptr) {
                be.release(s);
            }
        }
        return out;
    }
};

TEST(WeightCommand, SetWeightRebalancesAtOnceAndShowsInStats) {
    Cli cli(" balance roundrobin\n");
    EXPECT_EQ(cli.run("set weight be/a 6"), "\n");
    EXPECT_EQ(cli.run("get weight be/a"), "6 (initial 2)\n\n");
    auto c = cli.picks(400);
    EXPECT_EQ(c["a"], 300);
    EXPECT_EQ(c["b"], 100);
    EXPECT_EQ(cli.snap->backends[0]->total_weight_up(), 8);
    EXPECT_EQ(cli.run("set weight be/a 0"), "\n");  // drain
    EXPECT_EQ(cli.picks(10)["b"], 10);
    EXPECT_EQ(cli.run("set weight be/a 50%"), "\n");  // of the configured 2
    EXPECT_EQ(cli.run("get weight be/a"), "1 (initial 2)\n\n");
    // Server a's row: status, weight, act, bck.
    std::string stat = render_show_stat(*cli.snap, ProcessInfo{});
    EXPECT_NE(stat.find(",no check,1,1,0,"), std::string::npos) << stat;
}

TEST(WeightCommand, HaproxysMessagesForBadRequests) {
    Cli cli(" balance leastconn\n");
    EXPECT_EQ(cli.run("set weight be/a 257"),
              "Absolute weight can only be between 0 and 256 inclusive.\n\n");
    EXPECT_EQ(cli.run("set weight be/a 5x"), "Trailing garbage in weight string\n\n");
    EXPECT_EQ(cli.run("set weight be/a -1"),
              "Empty weight string empty or preceded by garbage\n\n");
    EXPECT_EQ(cli.run("set weight be/zz 1"), "No such server.\n\n");
    EXPECT_EQ(cli.run("set weight be/a"),
              "Require 'backend/server' and 'weight' or 'weight%'.\n\n");
    EXPECT_EQ(cli.commands->run("set weight be/a 1", false), "Permission denied\n\n");
    EXPECT_EQ(cli.run("get weight be/a"), "2 (initial 2)\n\n");
}

TEST(WeightCommand, MapBasedHashAcceptsOnlyZeroAndTheConfiguredWeight) {
    Cli cli(" balance source\n");
    EXPECT_EQ(cli.run("set weight be/a 3"),
              "Backend is using a static LB algorithm and only accepts weights '0%' and "
              "'100%'.\n\n");
    EXPECT_EQ(cli.run("set weight be/a 0%"), "\n");
    EXPECT_EQ(cli.run("set weight be/a 100%"), "\n");
    Cli consistent(" balance source\n hash-type consistent\n");
    EXPECT_EQ(consistent.run("set weight be/a 3"), "\n");
}

}  // namespace
}  // namespace octane::proxy
