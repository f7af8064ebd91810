#include "linuxbridge/router_nat.h"

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

}  // namespace octane::linuxbridge
