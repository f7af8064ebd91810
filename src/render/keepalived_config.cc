#include "render/keepalived_config.h"

#include <algorithm>

namespace octane::render {
namespace {

using nlohmann::json;

constexpr int kTakeoverPriority = 255;  // VRRP's address owner

// keepalived splits its configuration on blanks and braces; a value holding one would become
// two tokens or close a block early.
bool is_token(const std::string& value) {
    return !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' ||
               c == '#' || c == '!' || c == '"';
    });
}

bool is_ipv6(const std::string& address) {
    return address.find(':') != std::string::npos;
}

std::string text(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int number(const json& object, const char* key, int fallback) {
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

Result<void> check(const KeepalivedInput& in) {
    std::vector<std::pair<const char*, const std::string*>> tokens = {
        {"vrrp_group_name", &in.vrrp_group_name},
        {"auth_type", &in.auth_type},
        {"auth_pass", &in.auth_pass},
        {"interface", &in.interface},
        {"vrrp_ip", &in.vrrp_ip},
        {"check_script_path", &in.check_script_path}};
    for (const auto& peer : in.peer_ips) {
        tokens.push_back({"peer", &peer});
    }
    for (const auto& vip : in.vips) {
        tokens.push_back({"vip", &vip.ip_address});
        tokens.push_back({"vip network_cidr", &vip.network_cidr});
    }
    for (const auto& [name, value] : tokens) {
        if (!is_token(*value)) {
            return make_error(std::string("keepalived: ") + name + " '" + *value +
                              "' is empty or not one word");
        }
    }
    if (in.auth_type != "PASS" && in.auth_type != "AH") {
        return make_error("keepalived: auth_type must be PASS or AH");
    }
    if (in.priority < 1 || in.priority > 254) {
        return make_error("keepalived: priority must be 1..254");
    }
    if (in.vrrp_id < 1 || in.vrrp_id > 255) {
        return make_error("keepalived: virtual_router_id must be 1..255");
    }
    if (in.advert_int < 1 || in.vips.empty()) {
        return make_error("keepalived: advert_int must be positive and a VIP given");
    }
    return {};
}

}  // namespace

Result<std::string> render_keepalived_conf(const KeepalivedInput& in) {
    if (auto ok = check(in); !ok) {
        return Unexpected(ok.error());
    }
    std::string out;
    auto line = [&out](std::string_view indent, const std::string& text) {
        out.append(indent).append(text).push_back('\n');
    };
    if (in.startup_delay > 0 && !in.takeover) {
        line("", "global_defs {");
        line("    ", "vrrp_startup_delay " + std::to_string(in.startup_delay));
        line("", "}");
        out += "\n";
    }
    line("", "vrrp_script check_script {");
    line("    ", "script " + in.check_script_path);
    line("    ", "interval " + std::to_string(in.check_interval));
    line("    ", "fall " + std::to_string(in.fail_count));
    line("    ", "rise " + std::to_string(in.success_count));
    line("", "}");
    out += "\n";
    line("", "vrrp_instance " + in.vrrp_group_name + " {");
    // keepalived's default initial state, which Octavia relies on for nopreempt: written out.
    line("    ", in.takeover ? "state MASTER" : "state BACKUP");
    line("    ", "interface " + in.interface);
    line("    ", "virtual_router_id " + std::to_string(in.vrrp_id));
    line("    ", "priority " + std::to_string(in.takeover ? kTakeoverPriority : in.priority));
    if (!in.takeover) {
        line("    ", "nopreempt");  // keepalived refuses it beside the owner's priority
    }
    line("    ", "accept");
    line("    ", "garp_master_refresh " + std::to_string(in.garp_refresh));
    line("    ", "garp_master_refresh_repeat " + std::to_string(in.garp_refresh_repeat));
    line("    ", "advert_int " + std::to_string(in.advert_int));
    line("    ", "authentication {");
    line("        ", "auth_type " + in.auth_type);
    line("        ", "auth_pass " + in.auth_pass);
    line("    ", "}");
    out += "\n";
    line("    ", "unicast_src_ip " + in.vrrp_ip);
    line("    ", "unicast_peer {");
    for (const auto& peer : in.peer_ips) {
        line("        ", peer);
    }
    line("    ", "}");
    out += "\n";
    // Addresses of the other family than the VRRP traffic cannot be announced by it: keepalived
    // adds them without VRRP (Octavia's "excluded").
    const bool vrrp_v6 = is_ipv6(in.vrrp_ip);
    for (bool excluded : {false, true}) {
        line("    ", excluded ? "virtual_ipaddress_excluded {" : "virtual_ipaddress {");
        for (const auto& vip : in.vips) {
            if ((is_ipv6(vip.ip_address) != vrrp_v6) == excluded) {
                line("        ", vip.ip_address);
            }
        }
        line("    ", "}");
        out += "\n";
    }
    line("    ", "virtual_routes {");
    for (const auto& vip : in.vips) {
        line("        ", vip.network_cidr + " dev " + in.interface + " src " + vip.ip_address +
                             " scope link table 1");
        if (!vip.gateway.empty()) {
            line("        ",
                 "default via " + vip.gateway + " dev " + in.interface + " onlink table 1");
        }
        for (const auto& route : vip.host_routes) {
            line("        ", route.destination + " dev " + in.interface + " gateway " +
                                 route.nexthop + " onlink table 1");
        }
    }
    line("    ", "}");
    out += "\n";
    line("    ", "virtual_rules {");
    for (const auto& vip : in.vips) {
        line("        ", "from " + vip.ip_address + (is_ipv6(vip.ip_address) ? "/128" : "/32") +
                             " table 1 priority 100");
    }
    line("    ", "}");
    out += "\n";
    line("    ", "track_script {");
    line("        ", "check_script");
    line("    ", "}");
    line("", "}");
    return out;
}

std::vector<std::string> vrrp_peer_ips(const json& lb, const std::string& own_vrrp_ip) {
    std::vector<std::string> peers;
    for (const auto& amphora : lb.value("amphorae", json::array())) {
        std::string ip = text(amphora, "vrrp_ip");
        if (text(amphora, "status") == "ALLOCATED" && !ip.empty() && ip != own_vrrp_ip) {
            peers.push_back(ip);
        }
    }
    return peers;
}

Result<KeepalivedInput> keepalived_input(const json& lb, const std::string& amphora_id,
                                         const std::string& check_script_path) {
    KeepalivedInput in;
    const json group = lb.value("vrrp_group", json::object());
    in.vrrp_group_name = text(group, "vrrp_group_name");
    if (in.vrrp_group_name.empty()) {
        in.vrrp_group_name = text(lb, "id");
        std::erase(in.vrrp_group_name, '-');
    }
    if (!text(group, "vrrp_auth_type").empty()) {
        in.auth_type = text(group, "vrrp_auth_type");
    }
    in.auth_pass = text(group, "vrrp_auth_pass");
    in.advert_int = number(group, "advert_int", in.advert_int);
    const json tuning = lb.value("keepalived_vrrp", json::object());
    in.check_interval = number(tuning, "check_interval", in.check_interval);
    in.fail_count = number(tuning, "fail_count", in.fail_count);
    in.success_count = number(tuning, "success_count", in.success_count);
    in.garp_refresh = number(tuning, "garp_refresh", in.garp_refresh);
    in.garp_refresh_repeat = number(tuning, "garp_refresh_repeat", in.garp_refresh_repeat);
    in.check_script_path = check_script_path;
    const json amphorae = lb.value("amphorae", json::array());
    const json* self = nullptr;
    for (const auto& amphora : amphorae) {
        if (text(amphora, "id") == amphora_id) {
            self = &amphora;
        }
    }
    if (self == nullptr) {
        return make_error("keepalived: amphora " + amphora_id + " is not in the load balancer");
    }
    in.interface = text(*self, "vrrp_interface");
    in.vrrp_id = number(*self, "vrrp_id", in.vrrp_id);
    in.priority = number(*self, "vrrp_priority", in.priority);
    in.vrrp_ip = text(*self, "vrrp_ip");
    if (text(*self, "role") == "BACKUP") {
        in.startup_delay = 3 * in.advert_int + 2;
    }
    in.peer_ips = vrrp_peer_ips(lb, in.vrrp_ip);
    in.takeover = lb.value("vrrp_takeover", false);
    const json subnet = lb.value("vip_subnet", json::object());
    KeepalivedVip primary{
        text(lb, "vip_address"), text(subnet, "cidr"), text(subnet, "gateway_ip"), {}};
    for (const auto& route : subnet.value("host_routes", json::array())) {
        primary.host_routes.push_back({text(route, "destination"), text(route, "nexthop")});
    }
    std::vector<KeepalivedVip> extra;
    for (const auto& vip : lb.value("additional_vips", json::array())) {
        const json vip_subnet = vip.value("subnet", json::object());
        extra.push_back({text(vip, "ip_address"),
                         text(vip_subnet, "cidr"),
                         text(vip_subnet, "gateway_ip"),
                         {}});
    }
    // Sorted by address, as Octavia does, so each amphora renders them in the same order.
    std::sort(extra.begin(), extra.end(),
              [](const auto& a, const auto& b) { return a.ip_address < b.ip_address; });
    in.vips.push_back(std::move(primary));
    in.vips.insert(in.vips.end(), extra.begin(), extra.end());
    return in;
}

}  // namespace octane::render
