#include "agent/engine_config.h"

#include <gtest/gtest.h>

#include "agent/host_info.h"

namespace octane::agent {
namespace {

TEST(EngineConfig, StatsSocketAndFrontendModes) {
    auto summary = summarize_engine_config(R"(# Configuration for loadbalancer lb1
global
    daemon
    stats socket /var/lib/octavia/lb1.sock mode 0666 level user

defaults
    mode tcp

frontend listener-a
    bind 127.0.0.1:80
    mode http
    default_backend pool:listener-a

frontend listener-b
    bind 127.0.0.1:81
    mode tcp

backend pool:listener-a
    mode http
)");
    EXPECT_EQ(summary.stats_socket, "/var/lib/octavia/lb1.sock");
    ASSERT_EQ(summary.frontends.size(), 2u);
    EXPECT_EQ(summary.frontends[0].name, "listener-a");
    EXPECT_EQ(summary.frontends[0].mode, "HTTP");
    EXPECT_EQ(summary.frontends[1].mode, "TCP");
}

TEST(EngineConfig, NoGlobalSocket) {
    auto summary = summarize_engine_config("frontend f\n    bind :80\n");
    EXPECT_TRUE(summary.stats_socket.empty());
    ASSERT_EQ(summary.frontends.size(), 1u);
}

TEST(HostInfo, EngineVersion) {
    EXPECT_EQ(engine_version_from_output("HAProxy version 2.6.12-1+deb12u4 2026/10/17 - x\nStatus"),
              "2.6.12-1+deb12u4");
    EXPECT_EQ(engine_version_from_output(
                  "octane-proxy version 0.1.0 (haproxy.cfg dialect of HAProxy 2.6)\n"),
              "2.6");
    EXPECT_EQ(engine_version_from_output("garbage"), "");
}

}  // namespace
}  // namespace octane::agent
