#include "agent/agent_options.h"

#include <gtest/gtest.h>

namespace octane::agent {
namespace {

TEST(AgentOptions, IniKeysOfOctavia) {
    auto ini = IniFile::parse(R"([amphora_agent]
agent_server_cert = /etc/octavia/certs/server.pem
agent_server_ca = /etc/octavia/certs/client_ca.pem
agent_server_network_file = /etc/network/interfaces
[haproxy_amphora]
bind_host = 127.0.0.1
bind_port = 9444
base_path = /tmp/amp
haproxy_cmd = /usr/sbin/haproxy
[health_manager]
controller_ip_port_list = 127.0.0.1:5555, 127.0.0.2:5556
heartbeat_interval = 1
heartbeat_key = insecure
[controller_worker]
amphora_id = amp-1
)",
                              "amphora-agent.conf");
    ASSERT_TRUE(ini);
    AgentOptions o;
    ASSERT_TRUE(apply_agent_ini(*ini, o));
    EXPECT_EQ(o.server_cert, "/etc/octavia/certs/server.pem");
    EXPECT_EQ(o.client_ca, "/etc/octavia/certs/client_ca.pem");
    EXPECT_EQ(o.bind_port, 9444);
    EXPECT_EQ(o.state_dir, "/tmp/amp");
    ASSERT_EQ(o.controllers.size(), 2u);
    EXPECT_EQ(o.controllers[1].port, 5556);
    EXPECT_EQ(o.heartbeat_interval, std::chrono::milliseconds(1000));
    EXPECT_EQ(o.heartbeat_key, "insecure");
    EXPECT_EQ(o.amphora_id, "amp-1");
}

TEST(AgentOptions, FlagsAreRequiredAndWin) {
    AgentFlags flags;
    EXPECT_FALSE(resolve_agent_options(flags));  // no amphora id
    flags.amphora_id = "amp-1";
    EXPECT_FALSE(resolve_agent_options(flags));  // no certificates
    flags.server_cert = "s.pem";
    flags.client_ca = "ca.pem";
    flags.controllers = {"127.0.0.1:5555"};
    EXPECT_FALSE(resolve_agent_options(flags));  // controllers without a key
    flags.heartbeat_key = "k";
    flags.heartbeat_interval = "0.5";
    flags.bind_port = "0";
    auto o = resolve_agent_options(flags);
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->heartbeat_interval, std::chrono::milliseconds(500));
    EXPECT_EQ(o->bind_port, 0);
    EXPECT_EQ(o->cert_dir, o->state_dir + "/certs");
    flags.heartbeat_interval = "0";
    EXPECT_FALSE(resolve_agent_options(flags));
    flags.heartbeat_interval = "1";
    flags.amphora_id = "../x";
    EXPECT_FALSE(resolve_agent_options(flags));
}

}  // namespace
}  // namespace octane::agent
