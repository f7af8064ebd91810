#include <gtest/gtest.h>

#include "proxy/udp/lvs_config.h"

namespace octane::proxy::udp {
namespace {

// Octavia's own expected render (test_jinja_cfg.py, test_render_template_udp_source_ip).
constexpr const char* kOctaviaRender =
    "# Configuration for Loadbalancer sample_loadbalancer_id_1\n"
    "# Configuration for Listener sample_listener_id_1\n\n"
    "net_namespace amphora-haproxy\n\n"
    "virtual_server_group ipv4-group {\n"
    "    10.0.0.2 80\n"
    "}\n\n"
    "virtual_server group ipv4-group {\n"
    "    lb_algo wrr\n"
    "    lb_kind NAT\n"
    "    protocol UDP\n"
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
    "            misc_path \"/var/lib/octavia/lvs/check/udp_check.sh 10.0.0.99 82\"\n"
    "            misc_timeout 31\n"
    "        }\n"
    "    }\n\n"
    "    # Member sample_member_id_3 is disabled\n"
    "    # Configuration for Member sample_member_id_2\n"
    "    real_server 10.0.0.98 82 {\n"
    "        weight 13\n"
    "        uthreshold 98\n"
    "        TCP_CHECK {\n"
    "            connect_ip 10.0.0.97\n"
    "            connect_port 83\n"
    "            connect_timeout 31\n"
    "        }\n"
    "    }\n\n"
    "}\n\n";

TEST(LvsParser, ReadsOctaviasRender) {
    auto r = parse_lvs_config(kOctaviaRender, "lvs.cfg");
    ASSERT_TRUE(r.errors.empty()) << r.errors[0];
    const auto& c = r.config;
    EXPECT_EQ(c.loadbalancer_id, "sample_loadbalancer_id_1");
    EXPECT_EQ(c.listener_id, "sample_listener_id_1");
    EXPECT_TRUE(c.listener_enabled);
    EXPECT_EQ(c.net_namespace, "amphora-haproxy");
    ASSERT_EQ(c.virtual_servers.size(), 1u);
    const auto& vs = c.virtual_servers[0];
    ASSERT_EQ(vs.vips.size(), 1u);
    EXPECT_EQ(vs.vips[0].address, "10.0.0.2");
    EXPECT_EQ(vs.vips[0].port, 80);
    EXPECT_EQ(vs.lb_algo, "wrr");
    EXPECT_EQ(vs.protocol, "UDP");
    EXPECT_EQ(vs.persistence_timeout_s, 33);
    EXPECT_EQ(vs.persistence_granularity, "255.255.0.0");
    EXPECT_EQ(vs.delay_loop_s, 30);
    EXPECT_EQ(vs.retry, 3);
    EXPECT_EQ(vs.pool_id, "sample_pool_id_1");
    EXPECT_EQ(vs.health_monitor_id, "sample_monitor_id_1");
    ASSERT_EQ(vs.real_servers.size(), 2u);
    const auto& a = vs.real_servers[0];
    EXPECT_EQ(a.member_id, "sample_member_id_1");
    EXPECT_EQ(a.address, "10.0.0.99");
    EXPECT_EQ(a.port, 82);
    EXPECT_EQ(a.weight, 13);
    EXPECT_EQ(a.uthreshold, 98);
    EXPECT_EQ(a.check, CheckKind::kUdpConnect);
    EXPECT_EQ(a.check_address, "10.0.0.99");
    EXPECT_EQ(a.check_port, 82);
    EXPECT_EQ(a.check_timeout_s, 31);
    const auto& b = vs.real_servers[1];
    EXPECT_EQ(b.member_id, "sample_member_id_2");  // not the disabled one before it
    EXPECT_EQ(b.check, CheckKind::kTcp);
    EXPECT_EQ(b.check_address, "10.0.0.97");
    EXPECT_EQ(b.check_port, 83);
}

TEST(LvsParser, ReadsSctpAndHttpChecks) {
    auto r = parse_lvs_config(
        "# Listener l1 is disabled\n"
        "virtual_server 2001:db8::2 5000 {\n"
        "  lb_algo sh\n  sh-port\n  protocol SCTP\n"
        "  real_server 2001:db8::9 5001 {\n"
        "    MISC_CHECK {\n"
        "      misc_path \"amphora-health-checker sctp -t 4 2001:db8::9 5001\"\n"
        "      misc_timeout 5\n"
        "    }\n"
        "  }\n"
        "  real_server 2001:db8::8 80 {\n"
        "    HTTP_GET {\n"
        "      url {\n        path /health\n        status_code 200\n      }\n"
        "      url {\n        path /health\n        status_code 204\n      }\n"
        "      connect_ip 2001:db8::8\n      connect_port 8080\n      connect_timeout 3\n"
        "    }\n"
        "  }\n"
        "}\n",
        "f");
    ASSERT_TRUE(r.errors.empty()) << r.errors[0];
    EXPECT_FALSE(r.config.listener_enabled);
    const auto& vs = r.config.virtual_servers.at(0);
    EXPECT_TRUE(vs.sh_port);
    EXPECT_EQ(vs.protocol, "SCTP");
    EXPECT_EQ(vs.real_servers.at(0).check, CheckKind::kSctp);
    EXPECT_EQ(vs.real_servers.at(0).check_port, 5001);
    const auto& http = vs.real_servers.at(1);
    EXPECT_EQ(http.check, CheckKind::kHttpGet);
    EXPECT_EQ(http.url_path, "/health");
    EXPECT_EQ(http.status_codes, (std::vector<int>{200, 204}));
    EXPECT_EQ(http.check_port, 8080);
}

TEST(LvsParser, LocatesWhatItDoesNotSupport) {
    auto r = parse_lvs_config(
        "virtual_server group g {\n"       // 1: unknown group
        "  lb_algo mh\n"                   // 2
        "  lb_kind DR\n"                   // 3
        "  sorry_server 1.2.3.4 80\n"      // 4
        "  real_server 10.0.0.1 80 {\n"    // 5
        "    weight x\n"                   // 6
        "    MISC_CHECK {\n"               // 7
        "      misc_path \"/bin/true\"\n"  // 8
        "    }\n"
        "  }\n"
        "}\n"
        "global_defs {\n  router_id x\n}\n",  // 12
        "lvs.cfg");
    std::vector<std::string> want = {
        "lvs.cfg:1: unknown virtual_server_group 'g'",
        "lvs.cfg:2: lb_algo 'mh' is not supported (rr, wrr, lc, wlc, sh)",
        "lvs.cfg:3: lb_kind 'DR' is not supported (NAT)",
        "lvs.cfg:4: unknown keyword 'sorry_server' in virtual_server",
        "lvs.cfg:6: 'weight' expects an integer between 0 and 256, not 'x'",
        "lvs.cfg:8: misc_path '/bin/true' is not supported (Octavia's udp_check.sh <ip> <port> or "
        "amphora-health-checker sctp [-t <timeout>] <ip> <port>)",
        "lvs.cfg:12: unknown keyword 'global_defs' (only the keepalived LVS keywords Octavia "
        "renders are supported)",
    };
    EXPECT_EQ(r.errors, want);
}

TEST(LvsParser, UnclosedBlockAndQuote) {
    auto r = parse_lvs_config("virtual_server 1.2.3.4 80 {\n  lb_algo rr\n", "f");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0], "f:1: block of 'virtual_server' is not closed");
    r = parse_lvs_config("net_namespace \"x\n", "f");
    ASSERT_FALSE(r.errors.empty());
    EXPECT_EQ(r.errors[0], "f:1: unterminated quote");
}

}  // namespace
}  // namespace octane::proxy::udp
