#pragma once

// Network devices inside a namespace, through rtnetlink (libnl-route-3): the veth pairs, bridges
// and VXLAN devices Neutron's linuxbridge agent builds. Every "add" is idempotent: a device that
// is already there as asked is success.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace octane::net {

struct LinkInfo {
    std::string name;
    int ifindex = 0;
    std::string kind;    // "veth", "bridge", "vxlan", ... or "" (loopback, physical)
    std::string master;  // the bridge it is enslaved to, or ""
    std::string mac;     // "aa:bb:cc:dd:ee:ff"
    bool up = false;     // administratively up (IFF_UP)
    // Operationally up (IF_OPER_UP/UNKNOWN): the kernel's link watcher has seen the carrier, so the
    // device's queue is active and a bridge it is enslaved to forwards its frames.
    bool operational = false;
    int mtu = 0;
};

Result<std::vector<LinkInfo>> list_links(const std::string& ns);
Result<std::optional<LinkInfo>> find_link(const std::string& ns, const std::string& name);

// A veth pair in one request: end name_a in ns_a, end name_b in ns_b (may be the same namespace).
// mac_b "" leaves the kernel's address; mtu 0 the default. Both ends are left down.
Result<void> add_veth(const std::string& ns_a, const std::string& name_a, const std::string& ns_b,
                      const std::string& name_b, const std::string& mac_b, int mtu);

// A bridge with forward delay 0 and STP off, up; mtu 0 = default. An existing bridge of that
// name gets those settings.
Result<void> add_bridge(const std::string& ns, const std::string& name, int mtu);

struct VxlanSpec {
    std::string name;  // "vxlan-<vni>"
    uint32_t vni = 0;
    std::string local_ip;             // source of the tunnel; "" = chosen by routing
    std::string parent;               // the device holding local_ip
    std::string group = "224.0.0.1";  // multicast group for flooding
    uint16_t dst_port = 8472;         // Linux's default, as the linuxbridge agent leaves it
    int mtu = 1450;
};
// Learning stays on (the kernel default, never changed by the agent); the device is left up.
Result<void> add_vxlan(const std::string& ns, const VxlanSpec& spec);

// Enslaves dev to bridge; bridge "" releases it (nomaster).
Result<void> set_master(const std::string& ns, const std::string& dev, const std::string& bridge);
Result<void> set_up(const std::string& ns, const std::string& dev, bool up = true);
Result<void> set_mtu(const std::string& ns, const std::string& dev, int mtu);
// Waits (bounded by limit) until dev is operational. A veth whose peer was just set up has its
// carrier at once but its bridge port forwards only after the asynchronous link watcher ran: a
// frame sent before that (a gratuitous ARP) is dropped silently.
Result<void> wait_until_operational(const std::string& ns, const std::string& dev,
                                    std::chrono::milliseconds limit);
// Done when `from` is gone and `to` exists.
Result<void> rename_link(const std::string& ns, const std::string& from, const std::string& to);
// Missing is success. Deleting one end of a veth pair removes both.
Result<void> delete_link(const std::string& ns, const std::string& name);

}  // namespace octane::net
