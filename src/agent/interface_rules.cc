#include "agent/interface_rules.h"

#include <algorithm>
#include <cctype>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

namespace octane::agent {
namespace {

bool parse_prefix_length(const std::string& text, int max, int& length) {
    if (text.empty() || text.size() > 3 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    length = std::stoi(text);
    return length <= max;
}

// An interface name as the kernel allows it (IFNAMSIZ, no blanks, quotes or slashes).
bool valid_interface_name(const std::string& name) {
    return !name.empty() && name.size() < 16 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               c == '@';
    });
}

std::string protocol_match(const wire::InterfaceRule& rule) {
    if (rule.protocol == "VRRP") {
        return "meta l4proto 112";
    }
    std::string l4 = rule.protocol == "TCP" ? "tcp" : rule.protocol == "UDP" ? "udp" : "sctp";
    return fmt::format("{} dport {}", l4, rule.port);
}

}  // namespace

Result<std::string> normalize_cidr(const std::string& cidr) {
    const size_t slash = cidr.find('/');
    const std::string address = cidr.substr(0, slash);
    unsigned char bytes[16] = {};
    const int family = address.find(':') == std::string::npos ? AF_INET : AF_INET6;
    const int bits = family == AF_INET ? 32 : 128;
    int length = bits;
    if (inet_pton(family, address.c_str(), bytes) != 1 ||
        (slash != std::string::npos &&
         !parse_prefix_length(cidr.substr(slash + 1), bits, length))) {
        return make_error("invalid cidr '" + cidr + "'");
    }
    for (int bit = length; bit < bits; ++bit) {
        bytes[bit / 8] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
    }
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, bytes, text, sizeof text);
    return fmt::format("{}/{}", text, length);
}

Result<std::string> render_interface_rules(const std::vector<wire::InterfaceRule>& rules,
                                           const std::string& vip_interface) {
    if (!valid_interface_name(vip_interface)) {
        return make_error("invalid interface name '" + vip_interface + "'");
    }
    std::string accepts;
    for (const auto& rule : rules) {
        if (rule.protocol != "TCP" && rule.protocol != "UDP" && rule.protocol != "SCTP" &&
            rule.protocol != "VRRP") {
            return make_error("unknown protocol '" + rule.protocol + "'");
        }
        std::string source;
        if (rule.cidr) {
            auto cidr = normalize_cidr(*rule.cidr);
            if (!cidr) {
                return Unexpected(cidr.error());
            }
            if (*cidr != "0.0.0.0/0") {
                const bool v6 = cidr->find(':') != std::string::npos;
                source = fmt::format("{} saddr {} ", v6 ? "ip6" : "ip", *cidr);
            }
        }
        accepts += fmt::format("\t\t{}{} accept\n", source, protocol_match(rule));
    }
    const std::string table = std::string("inet ") + kAmphoraNftTable;
    return fmt::format(
        "table {0}\n"
        "delete table {0}\n"
        "table {0} {{\n"
        "\tchain amphora_chain {{\n"
        "\t\ttype filter hook input priority filter; policy drop;\n"
        "\t\tct state vmap {{ established : accept, related : accept, invalid : drop }}\n"
        "\t\tiif \"lo\" accept\n"
        "\t\tip saddr 127.0.0.0/8 drop\n"
        "\t\tip6 saddr ::1 drop\n"
        "\t\ticmp type destination-unreachable accept\n"
        "\t\ticmpv6 type {{ nd-neighbor-solicit, nd-router-advert, nd-neighbor-advert, "
        "packet-too-big, destination-unreachable }} accept\n"
        "\t\tudp sport 67 udp dport 68 accept\n"
        "\t\tudp sport 547 udp dport 546 accept\n"
        "\t\tiifname \"{1}\" goto amphora_vip_chain\n"
        "\t}}\n"
        "\tchain amphora_vip_chain {{\n"
        "{2}"
        "\t}}\n"
        "}}\n",
        table, vip_interface, accepts);
}

}  // namespace octane::agent
