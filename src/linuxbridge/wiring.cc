#include "linuxbridge/wiring.h"

#include <algorithm>
#include <set>

#include <signal.h>
#include <spdlog/spdlog.h>

#include "linuxbridge/names.h"
#include "net/addresses.h"
#include "net/garp.h"
#include "net/links.h"
#include "net/neighbours.h"
#include "net/netns.h"
#include "net/nft.h"
#include "net/routes.h"
#include "networking/cidr.h"

namespace octane::linuxbridge {
namespace {

// Octavia's policy routing table for traffic sourced from the VIP (amphora eth1).
constexpr uint32_t kVipTable = 1;
constexpr uint32_t kVipRulePriority = 100;
// The kernel's link watcher runs within a second even under load.
constexpr std::chrono::milliseconds kOperationalLimit{3000};

Result<void> ensure_namespace(const std::string& ns) {
    if (ns.empty() || net::netns_exists(ns)) {
        return {};
    }
    if (auto created = net::create_netns(ns); !created) {
        return created;
    }
    return net::set_up(ns, "lo");
}

Result<bool> link_exists(const std::string& ns, const std::string& name) {
    auto link = net::find_link(ns, name);
    if (!link) {
        return Unexpected(link.error());
    }
    return link->has_value();
}

std::string address_of(const std::string& cidr) {
    return cidr.substr(0, cidr.find('/'));
}

bool is_ipv4(const std::string& address) {
    return address.find(':') == std::string::npos;
}

}  // namespace

std::string Wiring::underlay_ip(int host) const {
    auto cidr = networking::parse_cidr(settings_.underlay_cidr);
    if (!cidr) {
        return {};
    }
    networking::IpAddress ip{cidr->version, cidr->network + 10 + static_cast<unsigned>(host)};
    return networking::format_ip(ip);
}

Result<void> Wiring::ensure_fabric() {
    const std::string fabric = kFabricNamespace;
    if (auto done = ensure_namespace(fabric); !done) {
        return done;
    }
    for (const char* bridge : {kUnderlayBridge, kPhysicalBridge}) {
        if (auto done = net::add_bridge(fabric, bridge, 0); !done) {
            return done;
        }
    }
    auto prefix = settings_.underlay_cidr.substr(settings_.underlay_cidr.find('/'));
    for (int host = 1; host <= settings_.hosts; ++host) {
        const std::string ns = host_namespace(host);
        if (auto done = ensure_namespace(ns); !done) {
            return done;
        }
        struct Nic {
            std::string fabric_side;
            const char* host_side;
            const char* bridge;
        };
        for (const Nic& nic :
             {Nic{fabric_underlay_peer(host), kHostUnderlayDevice, kUnderlayBridge},
              Nic{fabric_physical_peer(host), kHostPhysicalDevice, kPhysicalBridge}}) {
            auto exists = link_exists(ns, nic.host_side);
            if (!exists) {
                return Unexpected(exists.error());
            }
            if (!*exists) {
                // A half-made pair (one end left by a crash) is replaced.
                if (auto gone = net::delete_link(fabric, nic.fabric_side); !gone) {
                    return gone;
                }
                if (auto made = net::add_veth(fabric, nic.fabric_side, ns, nic.host_side, "", 0);
                    !made) {
                    return made;
                }
            }
            if (auto done = net::set_master(fabric, nic.fabric_side, nic.bridge); !done) {
                return done;
            }
            if (auto done = net::set_up(fabric, nic.fabric_side); !done) {
                return done;
            }
            if (auto done = net::set_up(ns, nic.host_side); !done) {
                return done;
            }
        }
        if (auto done = net::add_address(ns, kHostUnderlayDevice, underlay_ip(host) + prefix);
            !done) {
            return done;
        }
    }
    return {};
}

Result<void> Wiring::ensure_network_on_host(int host, const Segment& segment) {
    const std::string ns = host_namespace(host);
    const std::string bridge = bridge_name(segment.network_id);
    int mtu = segment.flat ? kFlatMtu : kVxlanMtu;
    if (auto done = net::add_bridge(ns, bridge, mtu); !done) {
        return done;
    }
    std::string uplink = kHostPhysicalDevice;
    if (!segment.flat) {
        net::VxlanSpec spec;
        spec.name = vxlan_name(segment.vni);
        spec.vni = segment.vni;
        spec.local_ip = underlay_ip(host);
        spec.parent = kHostUnderlayDevice;
        spec.group = settings_.vxlan_group;
        spec.dst_port = settings_.vxlan_port;
        spec.mtu = kVxlanMtu;
        if (auto done = net::add_vxlan(ns, spec); !done) {
            return done;
        }
        uplink = spec.name;
    }
    if (auto done = net::set_master(ns, uplink, bridge); !done) {
        return done;
    }
    return net::set_up(ns, uplink);
}

Result<void> Wiring::remove_network_from_host(int host, const Segment& segment) {
    const std::string ns = host_namespace(host);
    if (segment.flat) {
        if (auto done = net::set_master(ns, kHostPhysicalDevice, ""); !done) {
            return done;
        }
    } else if (auto done = net::delete_link(ns, vxlan_name(segment.vni)); !done) {
        return done;
    }
    return net::delete_link(ns, bridge_name(segment.network_id));
}

Result<void> Wiring::wire_port(const PortPlug& plug, const Segment& segment) {
    spdlog::debug("linuxbridge: plug port {} as {} in '{}' on host {} ({} addresses)", plug.port_id,
                  plug.device, plug.netns, plug.host, plug.addresses.size());
    const std::string host_ns = host_namespace(plug.host);
    if (auto done = ensure_network_on_host(plug.host, segment); !done) {
        return done;
    }
    if (auto done = ensure_namespace(plug.netns); !done) {
        return done;
    }
    int mtu = segment.flat ? kFlatMtu : kVxlanMtu;
    auto host_side = link_exists(host_ns, plug.host_device);
    if (!host_side) {
        return Unexpected(host_side.error());
    }
    auto inner = link_exists(plug.netns, plug.device);
    if (!inner) {
        return Unexpected(inner.error());
    }
    if (!*host_side || !*inner) {
        // Both ends or neither: a lone end is what a crash between two steps leaves.
        if (auto gone = net::delete_link(host_ns, plug.host_device); !gone) {
            return gone;
        }
        if (auto gone = net::delete_link(plug.netns, plug.device); !gone) {
            return gone;
        }
        if (auto made =
                net::add_veth(host_ns, plug.host_device, plug.netns, plug.device, plug.mac, mtu);
            !made) {
            return made;
        }
    }
    if (auto done = net::set_master(host_ns, plug.host_device, bridge_name(plug.network_id));
        !done) {
        return done;
    }
    if (auto done = net::set_up(host_ns, plug.host_device); !done) {
        return done;
    }
    for (const auto& cidr : plug.addresses) {
        if (auto done = net::add_address(plug.netns, plug.device, cidr); !done) {
            return done;
        }
    }
    for (const auto& cidr : plug.vip_addresses) {
        if (auto done = net::add_address(plug.netns, plug.device, cidr); !done) {
            return done;
        }
    }
    if (auto done = net::set_up(plug.netns, plug.device); !done) {
        return done;
    }
    if (!plug.default_gateway.empty()) {
        net::Route route;
        route.destination = "default";
        route.gateway = plug.default_gateway;
        route.device = plug.device;
        route.onlink = true;
        if (auto done = net::add_route(plug.netns, route); !done) {
            return done;
        }
        for (const auto& vip : plug.vip_addresses) {
            if (!is_ipv4(vip)) {
                continue;
            }
            route.table = kVipTable;
            if (auto done = net::add_route(plug.netns, route); !done) {
                return done;
            }
            // Hosts on the VIP subnet itself are answered directly, not through the gateway.
            for (const auto& cidr : plug.addresses) {
                auto subnet = networking::parse_cidr(cidr);
                if (!subnet || subnet->version != 4) {
                    continue;
                }
                net::Route local;
                local.destination = subnet->text();
                local.device = plug.device;
                local.table = kVipTable;
                local.source = address_of(vip);
                if (auto done = net::add_route(plug.netns, local); !done) {
                    return done;
                }
            }
            if (auto done = net::add_rule(plug.netns, vip, kVipTable, kVipRulePriority); !done) {
                return done;
            }
        }
    }
    // Neighbours learn the new owner of each address at once: a VIP that moved on failover, or an
    // address re-used from a deleted port (the next amphora's), would otherwise stay mapped to
    // the dead MAC in a router or member for up to a minute, losing the first packets. Linux
    // hosts do the same with arp_notify. The announcement waits for the bridge port to forward,
    // or it is lost.
    std::vector<std::string> announced;
    for (const auto* cidrs : {&plug.addresses, &plug.vip_addresses}) {
        for (const auto& cidr : *cidrs) {
            if (is_ipv4(cidr)) {
                announced.push_back(address_of(cidr));
            }
        }
    }
    if (!announced.empty()) {
        for (const auto& [ns, dev] :
             {std::pair{host_ns, plug.host_device}, std::pair{plug.netns, plug.device}}) {
            if (auto ready = net::wait_until_operational(ns, dev, kOperationalLimit); !ready) {
                return ready;
            }
        }
    }
    for (const auto& address : announced) {
        if (auto sent = net::send_gratuitous_arp(plug.netns, plug.device, address); !sent) {
            return sent;
        }
    }
    return {};
}

Result<void> Wiring::unwire_port(const PortPlug& plug) {
    if (auto done = net::delete_link(host_namespace(plug.host), plug.host_device); !done) {
        return done;
    }
    // Routers forget the gone port's MAC, so an address it held (a VIP the next load balancer
    // reuses) is resolved afresh instead of being sent to a dead MAC until the entry ages out.
    if (!plug.router_port) {
        for (const auto& ns : net::list_netns()) {
            if (ns.rfind(kRouterPrefix, 0) != 0) {
                continue;
            }
            for (const auto* cidrs : {&plug.addresses, &plug.vip_addresses}) {
                for (const auto& cidr : *cidrs) {
                    if (auto forgot = net::delete_neighbours(ns, address_of(cidr)); !forgot) {
                        return Unexpected(forgot.error());
                    }
                }
            }
        }
    }
    if (plug.netns.empty() || net::netns_exists(plug.netns)) {
        return net::delete_link(plug.netns, plug.device);
    }
    return {};
}

Result<void> Wiring::ensure_router_namespace(const std::string& router_id) {
    const std::string ns = router_namespace(router_id);
    bool fresh = !net::netns_exists(ns);
    if (auto done = ensure_namespace(ns); !done) {
        return done;
    }
    if (!fresh) {
        return {};
    }
    // As the L3 agent's namespace set-up.
    for (const auto& [key, value] :
         {std::pair{"net.ipv4.ip_forward", "1"}, std::pair{"net.ipv4.conf.all.arp_ignore", "1"},
          std::pair{"net.ipv4.conf.all.arp_announce", "2"}}) {
        if (auto done = net::sysctl(ns, key, value); !done) {
            return done;
        }
    }
    return {};
}

Result<void> Wiring::apply_router_nat(const std::string& router_id, const RouterNat& nat) {
    const std::string ns = router_namespace(router_id);
    std::string batch = render_router_nat(nat);
    if (batch.empty()) {
        return net::nft_delete_table(ns, "ip", kRouterNatTable);
    }
    return net::nft_apply(ns, batch);
}

Result<void> Wiring::set_floating_addresses(const std::string& router_id,
                                            const std::string& qg_device,
                                            const std::vector<std::string>& fixed_cidrs,
                                            const std::vector<std::string>& floating_ips) {
    const std::string ns = router_namespace(router_id);
    auto present = net::list_addresses(ns, qg_device);
    if (!present) {
        return Unexpected(present.error());
    }
    std::set<std::string> wanted(fixed_cidrs.begin(), fixed_cidrs.end());
    for (const auto& fip : floating_ips) {
        wanted.insert(fip + "/32");
    }
    for (const auto& cidr : *present) {
        if (!wanted.count(cidr) && is_ipv4(cidr)) {
            if (auto done = net::delete_address(ns, qg_device, cidr); !done) {
                return done;
            }
        }
    }
    for (const auto& fip : floating_ips) {
        if (std::find(present->begin(), present->end(), fip + "/32") != present->end()) {
            continue;
        }
        if (auto done = net::add_address(ns, qg_device, fip + "/32"); !done) {
            return done;
        }
        if (auto sent = net::send_gratuitous_arp(ns, qg_device, fip); !sent) {
            return sent;
        }
    }
    return {};
}

Result<void> Wiring::ensure_unreachable_route(const std::string& cidr) {
    net::Route route;
    route.destination = cidr;
    route.unreachable = true;
    route.metric = settings_.unreachable_metric;
    return net::add_route("", route);
}

Result<void> Wiring::remove_unreachable_route(const std::string& cidr) {
    net::Route route;
    route.destination = cidr;
    route.unreachable = true;
    route.metric = settings_.unreachable_metric;
    return net::delete_route("", route);
}

Result<void> Wiring::remove_namespace(const std::string& name) {
    if (!net::netns_exists(name)) {
        return {};
    }
    // Processes inside keep a namespace alive after its name is gone (and would hold its
    // addresses): they are ours, started in it by the driver (agents, engines, host commands).
    for (pid_t pid : net::processes_in_netns(name)) {
        kill(pid, SIGKILL);
    }
    return net::delete_netns(name);
}

}  // namespace octane::linuxbridge
