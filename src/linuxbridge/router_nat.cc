#include "linuxbridge/router_nat.h"

#include <map>
#include <set>

#include <fmt/format.h>

namespace octane::linuxbridge {

std::string render_router_nat(const RouterNat& nat) {
    if (nat.gateway_device.empty() || nat.gateway_ip.empty()) {
        return {};
    }
    const std::string& qg = nat.gateway_device;
    std::string dnat;
    std::string float_snat;
    for (const auto& fip : nat.floating_ips) {
        dnat += fmt::format("\t\tip daddr {} dnat to {}\n", fip.floating_ip, fip.fixed_ip);
        float_snat +=
            fmt::format("\t\tip saddr {} snat to {} fully-random\n", fip.fixed_ip, fip.floating_ip);
    }
    std::string egress;
    if (nat.enable_snat) {
        egress = fmt::format("\t\toifname \"{}\" snat to {} fully-random\n", qg, nat.gateway_ip);
    }
    std::string out =
        fmt::format("table ip {0}\ndelete table ip {0}\ntable ip {0} {{\n", kRouterNatTable);
    out += fmt::format(
        "\tchain mark_ingress {{\n"
        "\t\ttype filter hook prerouting priority mangle; policy accept;\n"
        "\t\tiifname \"{}\" meta mark set meta mark & 0xffff0000 | 0x00000002\n"
        "\t}}\n",
        qg);
    out +=
        "\tchain floating_dnat {\n"
        "\t\ttype nat hook prerouting priority dstnat; policy accept;\n" +
        dnat + "\t}\n";
    out +=
        "\tchain local_dnat {\n"
        "\t\ttype nat hook output priority -100; policy accept;\n" +
        dnat + "\t}\n";
    out += fmt::format(
        "\tchain egress_snat {{\n"
        "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
        "\t\toifname != \"{0}\" ct status & dnat == 0 accept\n"
        "{1}{2}"
        "\t\tmeta mark & 0x0000ffff != 0x00000002 ct status dnat snat to {3} fully-random\n"
        "\t}}\n",
        qg, float_snat, egress, nat.gateway_ip);
    out += "}\n";
    return out;
}

std::vector<std::string> conntrack_to_flush(const std::vector<FloatingIpNat>& before,
                                            const std::vector<FloatingIpNat>& after) {
    std::map<std::string, std::string> old_target;
    std::map<std::string, std::string> new_target;
    for (const auto& fip : before) {
        old_target[fip.floating_ip] = fip.fixed_ip;
    }
    for (const auto& fip : after) {
        new_target[fip.floating_ip] = fip.fixed_ip;
    }
    std::set<std::string> flush;
    for (const auto& [floating, fixed] : old_target) {
        auto now = new_target.find(floating);
        if (now == new_target.end() || now->second != fixed) {
            flush.insert(floating);
            flush.insert(fixed);
        }
    }
    for (const auto& [floating, fixed] : new_target) {
        if (!old_target.count(floating)) {
            flush.insert(floating);
        }
    }
    return {flush.begin(), flush.end()};
}

}  // namespace octane::linuxbridge
