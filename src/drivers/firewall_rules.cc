#include "drivers/firewall_rules.h"

namespace octane::drivers {
namespace {

using nlohmann::json;

// Octavia's L4_PROTOCOL_MAP.
std::string l4_protocol(const std::string& protocol) {
    if (protocol == "UDP" || protocol == "SCTP") {
        return protocol;
    }
    return "TCP";
}

json rule(const std::string& protocol, json cidr, int port) {
    return {{"protocol", protocol}, {"cidr", std::move(cidr)}, {"port", port}};
}

}  // namespace

json amphora_firewall_rules(const json& load_balancer,
                            const std::vector<std::string>& peer_vrrp_ips) {
    json rules = json::array();
    for (const auto& listener : load_balancer.value("listeners", json::array())) {
        const std::string protocol = l4_protocol(listener.value("protocol", ""));
        const int port = listener.value("protocol_port", 0);
        const json cidrs = listener.value("allowed_cidrs", json());
        if (!cidrs.is_array() || cidrs.empty()) {
            rules.push_back(rule(protocol, nullptr, port));
            continue;
        }
        for (const auto& cidr : cidrs) {
            rules.push_back(rule(protocol, cidr, port));
        }
    }
    for (const auto& peer : peer_vrrp_ips) {
        const bool v6 = peer.find(':') != std::string::npos;
        const std::string cidr = peer + (v6 ? "/128" : "/32");
        rules.push_back(rule("VRRP", cidr, 112));
        // The engines' stick-table replication (`peers`, HAPROXY_BASE_PEER_PORT): Octavia's VIP
        // security group admits it; its SR-IOV rules omit it, which would cut the sync.
        rules.push_back(rule("TCP", cidr, kPeerPort));
    }
    return rules;
}

}  // namespace octane::drivers
