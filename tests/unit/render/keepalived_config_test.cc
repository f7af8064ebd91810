// keepalived.conf as Octavia's keepalived_base.template renders it for one amphora of an
// ACTIVE_STANDBY pair, and the input taken from the worker's load balancer graph.

#include "render/keepalived_config.h"

#include <gtest/gtest.h>

namespace octane::render {
namespace {

using nlohmann::json;

KeepalivedInput master_input() {
    KeepalivedInput in;
    in.vrrp_group_name = "0a1b2c3d4e5f";
    in.auth_pass = "abc1234";
    in.interface = "eth1";
    in.priority = 100;
    in.vrrp_ip = "10.0.0.5";
    in.peer_ips = {"10.0.0.6"};
    in.vips = {{"10.0.0.10", "10.0.0.0/24", "10.0.0.1", {{"192.168.5.0/24", "10.0.0.254"}}}};
    in.check_script_path = "/var/lib/octane/amp/vrrp/check_script.sh";
    return in;
}

TEST(KeepalivedConfig, RendersOctaviasTemplate) {
    auto text = render_keepalived_conf(master_input());
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(*text,
              "vrrp_script check_script {\n"
              "    script /var/lib/octane/amp/vrrp/check_script.sh\n"
              "    interval 5\n"
              "    fall 2\n"
              "    rise 2\n"
              "}\n"
              "\n"
              "vrrp_instance 0a1b2c3d4e5f {\n"
              "    state BACKUP\n"
              "    interface eth1\n"
              "    virtual_router_id 1\n"
              "    priority 100\n"
              "    nopreempt\n"
              "    accept\n"
              "    garp_master_refresh 5\n"
              "    garp_master_refresh_repeat 2\n"
              "    advert_int 1\n"
              "    authentication {\n"
              "        auth_type PASS\n"
              "        auth_pass abc1234\n"
              "    }\n"
              "\n"
              "    unicast_src_ip 10.0.0.5\n"
              "    unicast_peer {\n"
              "        10.0.0.6\n"
              "    }\n"
              "\n"
              "    virtual_ipaddress {\n"
              "        10.0.0.10\n"
              "    }\n"
              "\n"
              "    virtual_ipaddress_excluded {\n"
              "    }\n"
              "\n"
              "    virtual_routes {\n"
              "        10.0.0.0/24 dev eth1 src 10.0.0.10 scope link table 1\n"
              "        default via 10.0.0.1 dev eth1 onlink table 1\n"
              "        192.168.5.0/24 dev eth1 gateway 10.0.0.254 onlink table 1\n"
              "    }\n"
              "\n"
              "    virtual_rules {\n"
              "        from 10.0.0.10/32 table 1 priority 100\n"
              "    }\n"
              "\n"
              "    track_script {\n"
              "        check_script\n"
              "    }\n"
              "}\n");
}

TEST(KeepalivedConfig, OtherFamilyVipsAreExcluded) {
    auto in = master_input();
    in.vips.push_back({"fd00::10", "fd00::/64", "", {}});
    auto text = render_keepalived_conf(in);
    ASSERT_TRUE(text);
    EXPECT_NE(text->find("virtual_ipaddress_excluded {\n        fd00::10\n    }"),
              std::string::npos);
    EXPECT_NE(text->find("from fd00::10/128 table 1 priority 100"), std::string::npos);
    EXPECT_EQ(text->find("default via  dev"), std::string::npos);
}

TEST(KeepalivedConfig, RefusesWhatKeepalivedWouldMisread) {
    std::vector<std::function<void(KeepalivedInput&)>> breakers = {
        [](auto& in) { in.interface = ""; },
        [](auto& in) { in.auth_pass = "a b"; },
        [](auto& in) { in.peer_ips = {"10.0.0.6 }"}; },
        [](auto& in) { in.vrrp_group_name = "x{"; },
        [](auto& in) { in.priority = 255; },
        [](auto& in) { in.vrrp_id = 0; },
        [](auto& in) { in.auth_type = "NONE"; },
        [](auto& in) { in.vips.clear(); },
    };
    for (size_t i = 0; i < breakers.size(); ++i) {
        auto in = master_input();
        breakers[i](in);
        EXPECT_FALSE(render_keepalived_conf(in)) << "case " << i;
    }
}

json graph() {
    return {{"id", "0a1b2c3d-4e5f"},
            {"vip_address", "10.0.0.10"},
            {"vip_subnet", {{"cidr", "10.0.0.0/24"}, {"gateway_ip", "10.0.0.1"}}},
            {"vrrp_group",
             {{"vrrp_group_name", "0a1b2c3d4e5f"},
              {"vrrp_auth_type", "PASS"},
              {"vrrp_auth_pass", "abc1234"},
              {"advert_int", 1}}},
            {"amphorae",
             {{{"id", "amp-m"},
               {"status", "ALLOCATED"},
               {"role", "MASTER"},
               {"vrrp_ip", "10.0.0.5"},
               {"vrrp_id", 1},
               {"vrrp_priority", 100},
               {"vrrp_interface", "eth1"}},
              {{"id", "amp-b"},
               {"status", "ALLOCATED"},
               {"role", "BACKUP"},
               {"vrrp_ip", "10.0.0.6"},
               {"vrrp_id", 1},
               {"vrrp_priority", 90},
               {"vrrp_interface", "eth1"}},
              {{"id", "amp-old"},
               {"status", "DELETED"},
               {"vrrp_ip", "10.0.0.7"},
               {"vrrp_interface", "eth1"}}}}};
}

TEST(KeepalivedInputFromGraph, EachAmphoraSeesItsOwnPriorityAndTheAllocatedPeer) {
    auto master = keepalived_input(graph(), "amp-m", "/s/check.sh");
    ASSERT_TRUE(master) << master.error().message;
    EXPECT_EQ(master->priority, 100);
    EXPECT_EQ(master->vrrp_ip, "10.0.0.5");
    EXPECT_EQ(master->peer_ips, std::vector<std::string>{"10.0.0.6"});
    auto backup = keepalived_input(graph(), "amp-b", "/s/check.sh");
    ASSERT_TRUE(backup);
    EXPECT_EQ(backup->priority, 90);
    EXPECT_EQ(backup->peer_ips, std::vector<std::string>{"10.0.0.5"});
    EXPECT_EQ(backup->vrrp_group_name, "0a1b2c3d4e5f");
    EXPECT_EQ(backup->auth_pass, "abc1234");
    ASSERT_EQ(backup->vips.size(), 1u);
    EXPECT_EQ(backup->vips[0].network_cidr, "10.0.0.0/24");
    EXPECT_EQ(backup->vips[0].gateway, "10.0.0.1");
    EXPECT_EQ(master->startup_delay, 0);
    EXPECT_EQ(backup->startup_delay, 5);  // the MASTER claims the VIP after 3.61 s
    auto rendered = render_keepalived_conf(*backup);
    ASSERT_TRUE(rendered) << rendered.error().message;
    EXPECT_EQ(rendered->rfind("global_defs {\n    vrrp_startup_delay 5\n}\n\nvrrp_script", 0), 0u)
        << *rendered;
    EXPECT_FALSE(keepalived_input(graph(), "amp-x", "/s/check.sh"));
}

TEST(KeepalivedInputFromGraph, TakeoverRendersTheAddressOwnerWithoutDelayOrNopreempt) {
    json g = graph();
    g["vrrp_takeover"] = true;
    auto backup = keepalived_input(g, "amp-b", "/s/check.sh");
    ASSERT_TRUE(backup) << backup.error().message;
    EXPECT_TRUE(backup->takeover);
    EXPECT_EQ(backup->check_interval, 5);  // Octavia's defaults without "keepalived_vrrp"
    g["keepalived_vrrp"] = {{"check_interval", 3}, {"fail_count", 4}, {"garp_refresh_repeat", 7}};
    auto tuned = keepalived_input(g, "amp-b", "/s/check.sh");
    ASSERT_TRUE(tuned);
    EXPECT_EQ(std::make_tuple(tuned->check_interval, tuned->fail_count, tuned->success_count,
                              tuned->garp_refresh, tuned->garp_refresh_repeat),
              std::make_tuple(3, 4, 2, 5, 7));
    auto rendered = render_keepalived_conf(*backup);
    ASSERT_TRUE(rendered) << rendered.error().message;
    // keepalived makes an owner (255) in state MASTER master at once, also on a reload.
    EXPECT_NE(rendered->find("    state MASTER\n"), std::string::npos) << *rendered;
    EXPECT_NE(rendered->find("    priority 255\n"), std::string::npos) << *rendered;
    EXPECT_EQ(rendered->find("nopreempt"), std::string::npos) << *rendered;
    EXPECT_EQ(rendered->find("vrrp_startup_delay"), std::string::npos) << *rendered;
    EXPECT_NE(rendered->find("        10.0.0.5\n"), std::string::npos) << *rendered;  // peer kept
}

TEST(KeepalivedInputFromGraph, AdditionalVipsFollowThePrimarySortedByAddress) {
    json g = graph();
    g["additional_vips"] = {{{"ip_address", "10.1.0.9"}, {"subnet", {{"cidr", "10.1.0.0/24"}}}},
                            {{"ip_address", "10.1.0.3"}, {"subnet", {{"cidr", "10.1.0.0/24"}}}}};
    auto in = keepalived_input(g, "amp-m", "/s/check.sh");
    ASSERT_TRUE(in);
    ASSERT_EQ(in->vips.size(), 3u);
    EXPECT_EQ(in->vips[0].ip_address, "10.0.0.10");
    EXPECT_EQ(in->vips[1].ip_address, "10.1.0.3");
    EXPECT_EQ(in->vips[2].ip_address, "10.1.0.9");
}

}  // namespace
}  // namespace octane::render
