#pragma once

// keepalived.conf of one amphora of an ACTIVE_STANDBY load balancer, as Octavia's keepalived
// driver renders it (octavia/amphorae/drivers/keepalived/jinja/templates/keepalived_base.template):
// a `vrrp_script` tracking the engine, one `vrrp_instance` named after the load balancer id without
// dashes, unicast to the peer's VRRP port address, the VIP as virtual address, and the VIP's
// policy routing (table 1) as virtual routes and rules so they follow the address. Every instance
// starts as BACKUP with `nopreempt`: the higher priority (the MASTER role, 100) wins the first
// election, and a recovered amphora never takes the VIP back from the one serving. Pure.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::render {

struct HostRoute {
    std::string destination;
    std::string nexthop;
};

struct KeepalivedVip {
    std::string ip_address;
    std::string network_cidr;  // the VIP subnet, e.g. 10.0.0.0/24
    std::string gateway;       // empty: no default route in table 1
    std::vector<HostRoute> host_routes;
};

// Defaults: Octavia's [keepalived_vrrp] options.
struct KeepalivedInput {
    std::string vrrp_group_name;  // load balancer id without dashes
    std::string auth_type = "PASS";
    std::string auth_pass;
    int advert_int = 1;  // [keepalived_vrrp] vrrp_advert_int
    std::string interface;
    int vrrp_id = 1;
    int priority = 90;                  // the role's vrrp_priority (controller/worker/topology.h)
    std::string vrrp_ip;                // unicast_src_ip: this amphora's VRRP port address
    std::vector<std::string> peer_ips;  // the other ALLOCATED amphorae's VRRP addresses
    std::vector<KeepalivedVip> vips;    // primary VIP first
    std::string check_script_path;
    int check_interval = 5;       // vrrp_check_interval
    int fail_count = 2;           // vrrp_fail_count
    int success_count = 2;        // vrrp_success_count
    int garp_refresh = 5;         // vrrp_garp_refresh_interval
    int garp_refresh_repeat = 2;  // vrrp_garp_refresh_count
    // Octane's one addition (global_defs vrrp_startup_delay, seconds; 0 = none): the BACKUP
    // role's instance starts only once the MASTER role's has claimed the VIP. Both start as
    // BACKUP with nopreempt, and their master-down timers differ by 40 ms only (the skew), so
    // two keepalived started together would otherwise elect whichever started first, for good.
    int startup_delay = 0;
    // Octane's takeover (the controller saw the peer's agent die, vrrp_takeover.h): this instance
    // claims the VIP now instead of after the master-down interval (3 x advert_int + skew). It is
    // rendered as the address owner (state MASTER, priority 255, no nopreempt, no startup delay):
    // keepalived makes an owner MASTER at once, also on a reload, and a peer that was only slow
    // yields to priority 255 on its next advertisement, so the pair never keeps two MASTERs.
    bool takeover = false;
};

// Refuses input keepalived would misread (a name or address with spaces or braces, an empty
// interface, a priority outside 1..254, a VRRP id outside 1..255) instead of rendering it.
Result<std::string> render_keepalived_conf(const KeepalivedInput& input);

// The VRRP addresses of the other ALLOCATED amphorae of the load balancer (the graph the worker
// passes to the driver): keepalived's unicast peers, whose adverts the amphora's firewall must
// let in. Empty for a SINGLE load balancer (its one amphora has no peer).
std::vector<std::string> vrrp_peer_ips(const nlohmann::json& load_balancer,
                                       const std::string& own_vrrp_ip);

// The input for one amphora from the worker's load balancer graph ("topology", "vrrp_group",
// "amphorae" with role, vrrp_ip, vrrp_priority, vrrp_id, vrrp_interface and status, "vip_address",
// "vip_subnet" {cidr, gateway_ip, host_routes}, "additional_vips"). The BACKUP role gets a startup
// delay of 3 x advert_int + 2 s, longer than the MASTER needs to claim the VIP.
// "vrrp_takeover": true in the graph renders the takeover instance (KeepalivedInput::takeover);
// "keepalived_vrrp" {check_interval, fail_count, success_count, garp_refresh, garp_refresh_repeat}
// carries the controller's [keepalived_vrrp] options.
Result<KeepalivedInput> keepalived_input(const nlohmann::json& load_balancer,
                                         const std::string& amphora_id,
                                         const std::string& check_script_path);

}  // namespace octane::render
