// The LVS render against Octavia's own expected output (octavia/tests/unit/common/jinja/lvs/
// test_jinja_cfg.py, sample_configs_combined): same objects, same bytes.

#include "proxy/udp/lvs_config.h"

#include <gtest/gtest.h>

#include "render/lvs_config.h"

namespace octane::render {
namespace {

MemberInput member(const std::string& id, const std::string& address) {
    MemberInput m;
    m.id = id;
    m.address = address;
    m.protocol_port = 82;
    m.weight = 13;
    return m;
}

// sample_listener_tuple(proto=UDP, monitor_proto=..., connection_limit=98)
LoadBalancerInput sample(const std::string& monitor_type) {
    LoadBalancerInput lb;
    lb.id = "sample_loadbalancer_id_1";
    lb.vip_address = "10.0.0.2";
    ListenerInput l;
    l.id = "sample_listener_id_1";
    l.protocol = "UDP";
    l.protocol_port = 80;
    l.connection_limit = 98;
    l.default_pool_id = "sample_pool_id_1";
    lb.listeners.push_back(l);
    PoolInput p;
    p.id = "sample_pool_id_1";
    p.protocol = "UDP";
    p.lb_algorithm = "ROUND_ROBIN";
    p.members = {member("sample_member_id_1", "10.0.0.99"),
                 member("sample_member_id_2", "10.0.0.98")};
    if (!monitor_type.empty()) {
        HealthMonitorInput hm;
        hm.id = "sample_monitor_id_1";
        hm.type = monitor_type;
        hm.delay = 30;
        hm.timeout = 31;
        hm.max_retries_down = 3;
        hm.http_method = "GET";
        hm.url_path = "/index.html";
        hm.expected_codes = "200-201";
        p.healthmonitor = hm;
    }
    lb.pools.push_back(p);
    return lb;
}

const char* kHead =
    "# Configuration for Loadbalancer sample_loadbalancer_id_1\n"
    "# Configuration for Listener sample_listener_id_1\n\n"
    "net_namespace amphora-haproxy\n\n"
    "virtual_server_group ipv4-group {\n"
    "    10.0.0.2 80\n"
    "}\n\n"
    "virtual_server group ipv4-group {\n"
    "    lb_algo wrr\n"
    "    lb_kind NAT\n"
    "    protocol UDP\n";

std::string rendered(const LoadBalancerInput& lb) {
    auto text = render_lvs_cfg(lb, "sample_listener_id_1");
    EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().message);
    return text ? *text : "";
}

TEST(LvsRender, UdpSourceIpPersistenceWithUdpConnect) {
    auto lb = sample("UDP-CONNECT");
    lb.pools[0].session_persistence = SessionPersistenceInput{"SOURCE_IP", "", 33, "255.255.0.0"};
    std::string exp = std::string(kHead) +
                      "    persistence_timeout 33\n"
                      "    persistence_granularity 255.255.0.0\n"
                      "    delay_loop 30\n"
                      "    delay_before_retry 30\n"
                      "    retry 3\n\n\n"
                      "    # Configuration for Pool sample_pool_id_1\n"
                      "    # Configuration for HealthMonitor sample_monitor_id_1\n"
                      "    # Configuration for Member sample_member_id_1\n"
                      "    real_server 10.0.0.99 82 {\n"
                      "        weight 13\n"
                      "        uthreshold 98\n"
                      "        MISC_CHECK {\n"
                      "            misc_path \"/var/lib/octavia/lvs/check/"
                      "udp_check.sh 10.0.0.99 82\"\n"
                      "            misc_timeout 31\n"
                      "        }\n"
                      "    }\n\n"
                      "    # Configuration for Member sample_member_id_2\n"
                      "    real_server 10.0.0.98 82 {\n"
                      "        weight 13\n"
                      "        uthreshold 98\n"
                      "        MISC_CHECK {\n"
                      "            misc_path \"/var/lib/octavia/lvs/check/"
                      "udp_check.sh 10.0.0.98 82\"\n"
                      "            misc_timeout 31\n"
                      "        }\n"
                      "    }\n\n"
                      "}\n\n";
    EXPECT_EQ(rendered(lb), exp);
    // and the engine reads it back
    auto parsed = proxy::udp::parse_lvs_config(exp, "f");
    EXPECT_TRUE(parsed.errors.empty());
    EXPECT_EQ(parsed.config.virtual_servers.at(0).real_servers.at(1).member_id,
              "sample_member_id_2");
}

TEST(LvsRender, HttpMonitorListsEachExpectedCode) {
    auto lb = sample("HTTP");
    std::string exp = std::string(kHead) +
                      "    delay_loop 30\n"
                      "    delay_before_retry 30\n"
                      "    retry 3\n\n\n"
                      "    # Configuration for Pool sample_pool_id_1\n"
                      "    # Configuration for HealthMonitor sample_monitor_id_1\n"
                      "    # Configuration for Member sample_member_id_1\n"
                      "    real_server 10.0.0.99 82 {\n"
                      "        weight 13\n"
                      "        uthreshold 98\n"
                      "        HTTP_GET {\n"
                      "            url {\n"
                      "              path /index.html\n"
                      "              status_code 200\n"
                      "            }\n"
                      "            url {\n"
                      "              path /index.html\n"
                      "              status_code 201\n"
                      "            }\n"
                      "            connect_ip 10.0.0.99\n"
                      "            connect_port 82\n"
                      "            connect_timeout 31\n"
                      "        }\n"
                      "    }\n\n";
    std::string text = rendered(lb);
    EXPECT_EQ(text.substr(0, exp.size()), exp);
}

TEST(LvsRender, TcpMonitorOnMonitorAddress) {
    auto lb = sample("TCP");
    lb.pools[0].members[0].monitor_address = "192.168.1.1";
    lb.pools[0].members[0].monitor_port = 9000;
    std::string text = rendered(lb);
    EXPECT_NE(text.find("        TCP_CHECK {\n"
                        "            connect_ip 192.168.1.1\n"
                        "            connect_port 9000\n"
                        "            connect_timeout 31\n"
                        "        }\n"),
              std::string::npos);
}

TEST(LvsRender, PoolWithoutMembersDisabledPoolNoPoolDisabledListener) {
    auto lb = sample("");
    lb.pools[0].members.clear();
    EXPECT_EQ(rendered(lb), std::string(kHead) +
                                "\n\n"
                                "    # Configuration for Pool sample_pool_id_1\n"
                                "}\n\n");
    lb.pools[0].admin_state_up = false;
    EXPECT_EQ(rendered(lb), std::string(kHead) +
                                "\n\n"
                                "    # Pool sample_pool_id_1 is disabled\n"
                                "}\n\n");
    lb.listeners[0].default_pool_id.clear();
    EXPECT_EQ(rendered(lb),
              "# Configuration for Loadbalancer sample_loadbalancer_id_1\n"
              "# Configuration for Listener sample_listener_id_1\n\n"
              "net_namespace amphora-haproxy\n\n\n");
    lb.listeners[0].admin_state_up = false;
    EXPECT_EQ(rendered(lb),
              "# Configuration for Loadbalancer sample_loadbalancer_id_1\n"
              "# Listener sample_listener_id_1 is disabled\n\n"
              "net_namespace amphora-haproxy\n\n");
}

TEST(LvsRender, Ipv6DefaultsSctpAndSourceIpPort) {
    auto lb = sample("SCTP");
    lb.vip_address = "2001:db8::2";
    lb.listeners[0].protocol = "SCTP";
    lb.listeners[0].connection_limit = -1;
    lb.pools[0].lb_algorithm = "SOURCE_IP_PORT";
    lb.pools[0].members[0].address = "2001:db8::99";
    lb.pools[0].session_persistence = SessionPersistenceInput{"SOURCE_IP", "", 0, ""};
    std::string text = rendered(lb);
    EXPECT_NE(text.find("virtual_server group ipv6-group {\n"
                        "    lb_algo sh\n"
                        "    sh-port\n"
                        "    lb_kind NAT\n"
                        "    protocol SCTP\n"
                        "    persistence_timeout 360\n"
                        "    persistence_granularity 128\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("misc_path \"amphora-health-checker sctp -t 31 2001:db8::99 82\"\n"
                        "            misc_timeout 32\n"),
              std::string::npos);
    EXPECT_EQ(text.find("10.0.0.98"), std::string::npos);  // an IPv4 member has no IPv6 group
    auto parsed = proxy::udp::parse_lvs_config(text, "f");
    EXPECT_TRUE(parsed.errors.empty());
}

TEST(LvsRender, RefusesWhatWouldNotReadBack) {
    auto lb = sample("HTTP");
    lb.pools[0].healthmonitor->url_path = "/a b";
    EXPECT_FALSE(render_lvs_cfg(lb, "sample_listener_id_1").has_value());
    EXPECT_FALSE(render_lvs_cfg(sample(""), "nope").has_value());
}

}  // namespace
}  // namespace octane::render
