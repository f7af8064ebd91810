#pragma once

// The keepalived LVS configuration Octavia renders for one UDP or SCTP listener
// (docs/amphora.md §5), as the engine reads it: only the keywords Octavia writes, and the
// comments that name the listener, pool, health monitor and members (Octavia's agent reads its
// ids from the same comments, keepalivedlvs_query). Pure: text in, model or located errors out.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace octane::proxy::udp {

// How a real server is checked (the check block Octavia renders for the pool's monitor type).
enum class CheckKind {
    kNone,        // no enabled monitor: the member is always up ("no check")
    kUdpConnect,  // MISC_CHECK running udp_check.sh: a datagram, ICMP port unreachable = down
    kSctp,        // MISC_CHECK running `amphora-health-checker sctp`: an SCTP association
    kTcp,         // TCP_CHECK: a TCP connect
    kHttpGet,     // HTTP_GET: GET url path, the status must be one of the listed codes
};

struct RealServer {
    int line = 0;
    std::string member_id;  // from "# Configuration for Member <id>"; empty when absent
    std::string address;
    uint16_t port = 0;
    int weight = 1;
    int uthreshold = 0;  // 0 = no limit on flows
    CheckKind check = CheckKind::kNone;
    std::string check_address;  // connect_ip, or the address in misc_path
    uint16_t check_port = 0;
    int check_timeout_s = 0;  // misc_timeout / connect_timeout
    std::string url_path;     // HTTP_GET
    std::vector<int> status_codes;
};

struct VirtualServer {
    int line = 0;
    struct Vip {
        std::string address;
        uint16_t port = 0;
    };
    std::vector<Vip> vips;        // the virtual_server_group's entries
    std::string lb_algo = "wrr";  // rr, wrr, lc, wlc, sh
    bool sh_port = false;         // `sh-port`: sh hashes the source port too (SOURCE_IP_PORT)
    std::string protocol = "UDP";
    int persistence_timeout_s = 0;        // 0 = no SOURCE_IP persistence
    std::string persistence_granularity;  // netmask (IPv4) or prefix length (IPv6)
    int delay_loop_s = 0;
    int delay_before_retry_s = 0;
    int retry = 0;  // failed checks before a real server goes down (keepalived's default: 1)
    std::string pool_id;
    bool pool_enabled = true;
    std::string health_monitor_id;
    std::vector<RealServer> real_servers;
};

struct LvsConfig {
    std::string loadbalancer_id;
    std::string listener_id;
    bool listener_enabled = true;
    std::string net_namespace;
    std::vector<VirtualServer> virtual_servers;
};

struct LvsParseResult {
    LvsConfig config;
    std::vector<std::string> errors;  // "file:line: message"
};

// `file` is only used in messages.
LvsParseResult parse_lvs_config(std::string_view text, const std::string& file);

}  // namespace octane::proxy::udp
