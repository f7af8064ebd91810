#include "linuxbridge/linuxbridge_driver.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <linux/capability.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/uuid.h"
#include "db/amphora_repository.h"
#include "db/compute_hosts.h"
#include "linuxbridge/host_choice.h"
#include "linuxbridge/names.h"
#include "net/conntrack.h"
#include "net/counters.h"
#include "net/links.h"
#include "net/netns.h"
#include "networking/cidr.h"
#include "networking/neutron_bodies.h"

namespace octane::linuxbridge {
namespace {

using nlohmann::json;

Unexpected<Error> failure(const networking::NetError& error) {
    return make_error(error.message, error.status);
}

std::string first_ipv4(const json& port) {
    for (const auto& ip : port.value("fixed_ips", json::array())) {
        std::string address = string_field(ip, "ip_address");
        if (!address.empty() && address.find(':') == std::string::npos) {
            return address;
        }
    }
    return {};
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

// What one realisation cost the kernel, in the log (the benchmark reads it): netlink requests and
// nft transactions this process sent meanwhile (other threads' included, if any ran).
class CostLog {
  public:
    explicit CostLog(std::string what)
        : what_(std::move(what)),
          before_(net::counters()),
          start_(std::chrono::steady_clock::now()) {}
    ~CostLog() {
        auto after = net::counters();
        auto ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
                .count();
        spdlog::info("linuxbridge: {} in {:.1f} ms ({} netlink requests, {} nft transactions)",
                     what_, ms, after.netlink_requests - before_.netlink_requests,
                     after.nft_transactions - before_.nft_transactions);
    }
    CostLog(const CostLog&) = delete;
    CostLog& operator=(const CostLog&) = delete;

  private:
    std::string what_;
    net::NetCounters before_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace

Result<void> check_privileges() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0) {
        return make_error("cannot read this process's capabilities");
    }
    auto has = [&](int cap) { return (data[cap / 32].effective & (1u << (cap % 32))) != 0; };
    std::vector<std::string> missing;
    if (!has(CAP_NET_ADMIN)) {
        missing.push_back("CAP_NET_ADMIN (links, addresses, routes, nftables)");
    }
    if (!has(CAP_SYS_ADMIN)) {
        missing.push_back("CAP_SYS_ADMIN (network namespaces: mount, setns)");
    }
    if (missing.empty()) {
        return {};
    }
    std::string text;
    for (const auto& m : missing) {
        text += (text.empty() ? "" : " and ") + m;
    }
    return make_error("the linuxbridge network driver needs root or " + text +
                      "; this process lacks them (run as root, or use --network-driver local)");
}

struct LinuxbridgeDriver::Snapshot {
    std::vector<json> networks;
    std::map<std::string, json> networks_by_id;
    std::map<std::string, json> subnets;
    std::vector<json> ports;
    std::vector<json> routers;
    std::vector<json> floating_ips;
};

LinuxbridgeDriver::LinuxbridgeDriver(db::Database& db, networking::NetworkStore& store,
                                     LinuxbridgeSettings settings)
    : db_(db), store_(store), segments_(db), wiring_(std::move(settings)), ipam_(store) {}

Result<std::unique_ptr<LinuxbridgeDriver>> LinuxbridgeDriver::create(
    db::Database& db, networking::NetworkStore& store, LinuxbridgeSettings settings) {
    if (auto privileged = check_privileges(); !privileged) {
        return Unexpected(privileged.error());
    }
    if (settings.hosts < 2) {
        return make_error("[linuxbridge] hosts must be at least 2");
    }
    std::unique_ptr<LinuxbridgeDriver> driver(
        new LinuxbridgeDriver(db, store, std::move(settings)));
    if (auto migrated = driver->segments_.migrate(); !migrated) {
        return Unexpected(migrated.error());
    }
    // Every controller process sees the same hosts and their admin state (`octane host-agent`).
    std::vector<std::string> hosts;
    for (int host = 1; host <= driver->wiring_.settings().hosts; ++host) {
        hosts.push_back(host_name(host));
    }
    if (auto known = db::ComputeHosts(db).register_hosts(
            hosts, format_timestamp(std::chrono::system_clock::now()));
        !known) {
        return Unexpected(known.error());
    }
    return driver;
}

Result<drivers::Vip, drivers::NetworkError> LinuxbridgeDriver::allocate_vip(
    const drivers::VipRequest& request) {
    return ipam_.allocate_vip(request);
}

Result<void> LinuxbridgeDriver::deallocate_vip(const std::string& load_balancer_id,
                                               const drivers::Vip& vip) {
    return ipam_.deallocate_vip(load_balancer_id, vip);
}

Result<void, drivers::NetworkError> LinuxbridgeDriver::check_subnet(
    const std::string& subnet_id, const drivers::NetworkCaller& caller) {
    return ipam_.check_subnet(subnet_id, caller);
}

Result<LinuxbridgeDriver::Snapshot> LinuxbridgeDriver::snapshot() {
    Snapshot snap;
    auto networks = store_.list(networking::NetKind::kNetwork);
    auto subnets = store_.list(networking::NetKind::kSubnet);
    auto ports = store_.list(networking::NetKind::kPort);
    auto routers = store_.list(networking::NetKind::kRouter);
    auto fips = store_.list(networking::NetKind::kFloatingIp);
    for (auto* listed : {&networks, &subnets, &ports, &routers, &fips}) {
        if (!*listed) {
            return failure(listed->error());
        }
    }
    snap.networks = std::move(*networks);
    for (const auto& network : snap.networks) {
        snap.networks_by_id[string_field(network, "id")] = network;
    }
    for (auto& subnet : *subnets) {
        // json's operator= takes its argument by value: the key must be read before the move.
        std::string id = string_field(subnet, "id");
        snap.subnets[id] = std::move(subnet);
    }
    snap.ports = std::move(*ports);
    snap.routers = std::move(*routers);
    snap.floating_ips = std::move(*fips);
    return snap;
}

Result<void> LinuxbridgeDriver::wire(const PortPlug& plug, const Snapshot& snap) {
    if (auto known = wired_.find(plug.port_id); known != wired_.end() && known->second == plug) {
        return {};
    }
    auto network = snap.networks_by_id.find(plug.network_id);
    if (network == snap.networks_by_id.end()) {
        return make_error("port " + plug.port_id + ": network " + plug.network_id + " is gone");
    }
    auto segment =
        segments_.segment_of(plug.network_id, network->second.value("router:external", false),
                             wiring_.settings().vni_range);
    if (!segment) {
        return Unexpected(segment.error());
    }
    if (plug.router_port) {
        if (auto done = wiring_.ensure_router_namespace(plug.netns.substr(8)); !done) {
            return done;
        }
    }
    if (auto done = wiring_.wire_port(plug, *segment); !done) {
        return done;
    }
    wired_[plug.port_id] = plug;
    return {};
}

Result<std::string> LinuxbridgeDriver::network_id_by_name(const std::string& name) {
    auto networks = store_.list(networking::NetKind::kNetwork);
    if (!networks) {
        return failure(networks.error());
    }
    for (const auto& network : *networks) {
        if (string_field(network, "name") == name || string_field(network, "id") == name) {
            return string_field(network, "id");
        }
    }
    return make_error("network " + name + " not found", 404);
}

Result<json> LinuxbridgeDriver::create_plugged_port(
    json attrs, const std::vector<networking::FixedIpRequest>& ips) {
    json profile = attrs["binding:profile"];
    std::string host = attrs["binding:host_id"];
    auto input = networking::validate_create(networking::NetKind::kPort,
                                             attrs.value("given", json::object()),
                                             attrs.value("project_id", ""), true);
    if (!input) {
        return failure(input.error());
    }
    input->attrs["binding:host_id"] = host;
    input->attrs["binding:profile"] = profile;
    if (attrs.contains("allowed_address_pairs")) {
        input->attrs["allowed_address_pairs"] = attrs["allowed_address_pairs"];
    }
    auto port = store_.create_port(input->attrs, ips);
    if (!port) {
        return failure(port.error());
    }
    return *port;
}

Result<void> LinuxbridgeDriver::bootstrap(const std::string& admin_project) {
    std::lock_guard lock(mutex_);
    auto networks = store_.list(networking::NetKind::kNetwork);
    if (!networks) {
        return failure(networks.error());
    }
    std::string mgmt_id;
    for (const auto& network : *networks) {
        if (string_field(network, "name") == kMgmtNetworkName) {
            mgmt_id = string_field(network, "id");
        }
    }
    if (mgmt_id.empty()) {
        // As devstack makes it: admin's, not shared, no gateway (amphorae only talk to o-hm0).
        auto input = networking::validate_create(networking::NetKind::kNetwork,
                                                 {{"name", kMgmtNetworkName}}, admin_project, true);
        if (!input) {
            return failure(input.error());
        }
        auto network = store_.create_network(input->attrs);
        if (!network) {
            return failure(network.error());
        }
        mgmt_id = string_field(*network, "id");
        json subnet_given = {{"name", kMgmtSubnetName},
                             {"network_id", mgmt_id},
                             {"cidr", wiring_.settings().lb_mgmt_cidr},
                             {"ip_version", 4},
                             {"gateway_ip", nullptr},
                             {"enable_dhcp", false}};
        auto subnet_input = networking::validate_create(networking::NetKind::kSubnet, subnet_given,
                                                        admin_project, true);
        if (!subnet_input) {
            return failure(subnet_input.error());
        }
        if (auto subnet = store_.create_subnet(subnet_input->attrs); !subnet) {
            return failure(subnet.error());
        }
    }
    auto ports = store_.list(networking::NetKind::kPort);
    if (!ports) {
        return failure(ports.error());
    }
    bool has_controller = false;
    std::string root_port;
    for (const auto& port : *ports) {
        has_controller =
            has_controller || string_field(port, "device_owner") == "Octavia:health-mgr";
        if (string_field(port, "device_owner") == kRootProviderOwner) {
            root_port = string_field(port, "id");
        }
    }
    // The root namespace on `provider` only while the operator asks for it.
    if (wiring_.settings().attach_root_to_provider && root_port.empty()) {
        std::string provider;
        for (const auto& network : *networks) {
            if (network.value("router:external", false) && provider.empty()) {
                provider = string_field(network, "id");
            }
        }
        if (!provider.empty()) {
            json attrs = {{"given",
                           {{"network_id", provider},
                            {"name", "octane-root-provider-port"},
                            {"device_owner", kRootProviderOwner},
                            {"device_id", "octane-root"}}},
                          {"project_id", admin_project},
                          {"binding:host_id", "host-1"},
                          {"binding:profile", json::object()}};
            if (auto port = create_plugged_port(attrs, {}); !port) {
                return Unexpected(port.error());
            }
        }
    } else if (!wiring_.settings().attach_root_to_provider && !root_port.empty()) {
        if (auto gone = store_.remove(networking::NetKind::kPort, root_port); !gone) {
            return failure(gone.error());
        }
    }
    if (has_controller) {
        return {};
    }
    json attrs = {{"given",
                   {{"network_id", mgmt_id},
                    {"name", kControllerPortName},
                    {"device_owner", "Octavia:health-mgr"},
                    {"device_id", "octane-controller"}}},
                  {"project_id", admin_project},
                  {"binding:host_id", "host-1"},
                  {"binding:profile", json::object()}};
    auto port = create_plugged_port(attrs, {});
    if (!port) {
        return Unexpected(port.error());
    }
    return {};
}

std::string LinuxbridgeDriver::controller_ip() {
    auto ports = store_.list(networking::NetKind::kPort);
    if (!ports) {
        return {};
    }
    for (const auto& port : *ports) {
        if (string_field(port, "device_owner") == "Octavia:health-mgr") {
            return first_ipv4(port);
        }
    }
    return {};
}

Result<void> LinuxbridgeDriver::remove_orphan_amphora_ports(Snapshot& snap) {
    auto ids = db::AmphoraRepository(db_).live_ids();
    if (!ids) {
        return Unexpected(ids.error());
    }
    std::set<std::string> live(ids->begin(), ids->end());
    std::vector<json> kept;
    for (auto& port : snap.ports) {
        json profile = port.value("binding:profile", json::object());
        std::string netns = profile.is_object() ? profile.value("netns", "") : "";
        std::string device_id = string_field(port, "device_id");
        bool amphora_port = starts_with(netns, kAmphoraPrefix);
        if (amphora_port && !live.count(device_id)) {
            spdlog::warn("linuxbridge: removing port {} of amphora {} that does not exist",
                         string_field(port, "id"), device_id);
            if (auto gone = store_.remove(networking::NetKind::kPort, string_field(port, "id"));
                !gone) {
                return failure(gone.error());
            }
            continue;
        }
        kept.push_back(std::move(port));
    }
    snap.ports = std::move(kept);
    return {};
}

Result<void> LinuxbridgeDriver::realize_routers(const Snapshot& snap) {
    for (const auto& router : snap.routers) {
        const std::string router_id = string_field(router, "id");
        if (auto done = wiring_.ensure_router_namespace(router_id); !done) {
            return done;
        }
        RouterNat nat;
        json gateway_info = router.value("external_gateway_info", json(nullptr));
        nat.enable_snat = gateway_info.is_object() ? gateway_info.value("enable_snat", true) : true;
        std::vector<std::string> gateway_cidrs;
        for (const auto& port : snap.ports) {
            if (string_field(port, "device_owner") == "network:router_gateway" &&
                string_field(port, "device_id") == router_id) {
                nat.gateway_device = router_gateway_name(string_field(port, "id"));
                nat.gateway_ip = first_ipv4(port);
                if (auto plug = plug_of(port, snap.subnets)) {
                    gateway_cidrs = plug->addresses;
                }
            }
        }
        std::vector<std::string> floating;
        for (const auto& fip : snap.floating_ips) {
            if (string_field(fip, "router_id") == router_id &&
                fip.value("port_id", json()).is_string() &&
                !string_field(fip, "fixed_ip_address").empty()) {
                nat.floating_ips.push_back({string_field(fip, "floating_ip_address"),
                                            string_field(fip, "fixed_ip_address")});
                floating.push_back(string_field(fip, "floating_ip_address"));
            }
        }
        if (!nat.gateway_device.empty()) {
            if (auto done = wiring_.set_floating_addresses(router_id, nat.gateway_device,
                                                           gateway_cidrs, floating);
                !done) {
                return done;
            }
        }
        std::string batch = render_router_nat(nat);
        auto applied = applied_nat_.find(router_id);
        if (applied != applied_nat_.end() && applied->second.batch == batch) {
            continue;  // one nft transaction per change, none when nothing changed
        }
        if (auto done = wiring_.apply_router_nat(router_id, nat); !done) {
            return done;
        }
        // Only changes seen by this process flush: after a restart nothing is known to have
        // changed, and established connections through floating IPs must survive it.
        if (applied != applied_nat_.end()) {
            for (const auto& address :
                 conntrack_to_flush(applied->second.floating_ips, nat.floating_ips)) {
                auto flushed = net::delete_conntrack_entries(router_namespace(router_id), address);
                if (!flushed) {
                    return Unexpected(flushed.error());
                }
            }
        }
        applied_nat_[router_id] = AppliedNat{batch, nat.floating_ips};
    }
    return {};
}

Result<void> LinuxbridgeDriver::remove_strays(const Snapshot& snap,
                                              const std::vector<PortPlug>& plugs) {
    std::set<std::string> namespaces = {kFabricNamespace};
    for (int host = 1; host <= wiring_.settings().hosts; ++host) {
        namespaces.insert(host_namespace(host));
    }
    for (const auto& router : snap.routers) {
        namespaces.insert(router_namespace(string_field(router, "id")));
    }
    // One read of the segments serves every port (a network without a segment yet was never
    // wired, so it has no device to keep either).
    auto segments = segments_.all();
    if (!segments) {
        return Unexpected(segments.error());
    }
    std::map<std::string, Segment> segment_of_network;
    for (const auto& segment : *segments) {
        segment_of_network[segment.network_id] = segment;
    }
    std::map<int, std::set<std::string>> devices;  // per host: taps, bridges, vxlans wanted
    for (const auto& plug : plugs) {
        if (!plug.netns.empty()) {
            namespaces.insert(plug.netns);
        }
        devices[plug.host].insert(plug.host_device);
        devices[plug.host].insert(bridge_name(plug.network_id));
        auto segment = segment_of_network.find(plug.network_id);
        if (segment != segment_of_network.end() && !segment->second.flat) {
            devices[plug.host].insert(vxlan_name(segment->second.vni));
        }
    }
    for (const auto& name : net::list_netns()) {
        if (is_driver_namespace(name) && !namespaces.count(name)) {
            spdlog::info("linuxbridge: removing namespace {} (nothing in the database claims it)",
                         name);
            if (starts_with(name, kRouterPrefix)) {
                applied_nat_.erase(name.substr(std::string(kRouterPrefix).size()));
            }
            if (auto done = wiring_.remove_namespace(name); !done) {
                return done;
            }
        }
    }
    for (int host = 1; host <= wiring_.settings().hosts; ++host) {
        const std::string ns = host_namespace(host);
        auto links = net::list_links(ns);
        if (!links) {
            return Unexpected(links.error());
        }
        for (const auto& link : *links) {
            bool ours = starts_with(link.name, "tap") || starts_with(link.name, "brq") ||
                        starts_with(link.name, "vxlan-") || link.name == kControllerPeer ||
                        link.name == kRootProviderPeer;
            if (ours && !devices[host].count(link.name)) {
                spdlog::info("linuxbridge: removing {} from {} (no port of it is plugged there)",
                             link.name, ns);
                if (auto done = net::delete_link(ns, link.name); !done) {
                    return done;
                }
            }
        }
    }
    for (const auto& segment : *segments) {
        if (!snap.networks_by_id.count(segment.network_id)) {
            if (auto done = segments_.release(segment.network_id); !done) {
                return done;
            }
        }
    }
    return {};
}

Result<void> LinuxbridgeDriver::reconcile(bool at_start) {
    std::lock_guard lock(mutex_);
    CostLog cost("reconciled the machine with the database");
    if (auto done = wiring_.ensure_fabric(); !done) {
        return done;
    }
    auto snap = snapshot();
    if (!snap) {
        return Unexpected(snap.error());
    }
    if (at_start) {
        wired_.clear();
        applied_nat_.clear();
        if (auto done = remove_orphan_amphora_ports(*snap); !done) {
            return done;
        }
    }
    std::vector<PortPlug> plugs;
    for (const auto& port : snap->ports) {
        if (auto plug = plug_of(port, snap->subnets)) {
            plugs.push_back(*plug);
        }
    }
    std::set<std::string> current;
    for (const auto& plug : plugs) {
        current.insert(plug.port_id);
    }
    std::erase_if(wired_, [&](const auto& entry) { return !current.count(entry.first); });
    if (auto done = remove_strays(*snap, plugs); !done) {
        return done;
    }
    for (const auto& router : snap->routers) {
        if (auto done = wiring_.ensure_router_namespace(string_field(router, "id")); !done) {
            return done;
        }
    }
    for (const auto& plug : plugs) {
        if (auto done = wire(plug, *snap); !done) {
            return done;
        }
    }
    if (auto done = realize_routers(*snap); !done) {
        return done;
    }
    // Every simulated CIDR reachable from the root namespace fails locally when its device is
    // missing, instead of following the default route off the machine.
    std::vector<std::string> reachable = {wiring_.settings().lb_mgmt_cidr};
    for (const auto& plug : plugs) {
        if (plug.netns.empty() && plug.device == kRootProviderDevice) {
            for (const auto& cidr : plug.addresses) {
                if (auto subnet = networking::parse_cidr(cidr)) {
                    reachable.push_back(subnet->text());
                }
            }
        }
    }
    for (const auto& cidr : reachable) {
        if (auto done = wiring_.ensure_unreachable_route(cidr); !done) {
            return done;
        }
    }
    return {};
}

Result<void> LinuxbridgeDriver::teardown() {
    std::lock_guard lock(mutex_);
    for (const auto& name : net::list_netns()) {
        if (is_driver_namespace(name)) {
            if (auto done = wiring_.remove_namespace(name); !done) {
                return done;
            }
        }
    }
    applied_nat_.clear();
    wired_.clear();
    for (const char* device : {kControllerDevice, kRootProviderDevice}) {
        if (auto done = net::delete_link("", device); !done) {
            return done;
        }
    }
    return wiring_.remove_unreachable_route(wiring_.settings().lb_mgmt_cidr);
}

Result<drivers::AmphoraPlacement> LinuxbridgeDriver::plug_amphora(
    const std::string& amphora_id, const json& load_balancer,
    const drivers::AmphoraRequest& request) {
    std::lock_guard lock(mutex_);
    std::string vip = string_field(load_balancer, "vip_address");
    std::string vip_subnet = string_field(load_balancer, "vip_subnet_id");
    std::string vip_network = string_field(load_balancer, "vip_network_id");
    if (vip.empty() || vip_subnet.empty() || vip_network.empty()) {
        return make_error("load balancer " + string_field(load_balancer, "id") +
                          " has no VIP subnet to plug an amphora into");
    }
    auto mgmt = network_id_by_name(kMgmtNetworkName);
    if (!mgmt) {
        return Unexpected(mgmt.error());
    }
    // A disabled host (`octane host-agent disable`) gets no new amphorae, as Nova's scheduler
    // skips a disabled compute service.
    auto disabled = db::ComputeHosts(db_).disabled();
    if (!disabled) {
        return Unexpected(disabled.error());
    }
    auto chosen = place_amphora(wiring_.settings().hosts, next_host_++, request.avoid_hosts,
                                *disabled, wiring_.settings().anti_affinity);
    if (!chosen) {
        return make_error("no compute host left for amphora " + amphora_id +
                          " (anti-affinity with its peer, or hosts disabled)");
    }
    int host = *chosen;
    std::string host_id = host_name(host);
    CostLog cost("plugged amphora " + amphora_id + " on " + host_id);
    drivers::AmphoraPlacement placement;
    placement.host = host_id;
    placement.mgmt_netns = amphora_namespace(amphora_id);
    placement.engine_netns = amphora_engine_namespace(amphora_id);
    json vips = json::array({vip});
    for (const auto& extra : load_balancer.value("additional_vips", json::array())) {
        if (!string_field(extra, "ip_address").empty()) {
            vips.push_back(string_field(extra, "ip_address"));
        }
    }
    auto undo = [&](const Error& error) -> Result<drivers::AmphoraPlacement> {
        (void)remove_ports_of_device(amphora_id);
        (void)wiring_.remove_namespace(placement.mgmt_netns);
        (void)wiring_.remove_namespace(placement.engine_netns);
        return Unexpected(error);
    };
    json mgmt_attrs = {{"given",
                        {{"network_id", *mgmt},
                         {"name", "octavia-amphora-mgmt-" + amphora_id},
                         {"device_owner", "compute:nova"},
                         {"device_id", amphora_id}}},
                       {"project_id", ""},
                       {"binding:host_id", host_id},
                       {"binding:profile", {{"netns", placement.mgmt_netns}, {"device", "eth0"}}}};
    auto mgmt_port = create_plugged_port(mgmt_attrs, {});
    if (!mgmt_port) {
        return undo(mgmt_port.error());
    }
    json allowed = json::array();
    for (const auto& address : vips) {
        allowed.push_back({{"ip_address", address}});
    }
    json vrrp_attrs = {{"given",
                        {{"network_id", vip_network},
                         {"name", "octavia-lb-vrrp-" + amphora_id},
                         {"device_owner", "Octavia"},
                         {"device_id", amphora_id}}},
                       {"project_id", ""},
                       {"binding:host_id", host_id},
                       {"allowed_address_pairs", allowed},
                       {"binding:profile",
                        {{"netns", placement.engine_netns},
                         {"device", placement.vrrp_interface},
                         {"default_route", true},
                         // With VRRP, keepalived holds the VIP (on the MASTER only) and its
                         // policy routing (virtual_routes, virtual_rules).
                         {"vip_addresses", request.vrrp ? json::array() : vips}}}};
    networking::FixedIpRequest on_vip_subnet;
    on_vip_subnet.subnet_id = vip_subnet;
    auto vrrp_port = create_plugged_port(vrrp_attrs, {on_vip_subnet});
    if (!vrrp_port) {
        return undo(vrrp_port.error());
    }
    auto snap = snapshot();
    if (!snap) {
        return undo(snap.error());
    }
    for (const json* port : {&*mgmt_port, &*vrrp_port}) {
        auto plug = plug_of(*port, snap->subnets);
        if (!plug) {
            return undo(Error{0, "port " + string_field(*port, "id") + " has no plug"});
        }
        if (auto done = wire(*plug, *snap); !done) {
            return undo(done.error());
        }
    }
    // As Octavia's amphora: engines may bind the VIP while this amphora does not hold it (the
    // BACKUP of a pair, which must serve the moment keepalived moves the VIP here).
    if (auto done = net::sysctl(placement.engine_netns, "net.ipv4.ip_nonlocal_bind", "1"); !done) {
        return undo(done.error());
    }
    // IPv6 may be disabled in the kernel; then there is no IPv6 VIP to bind either.
    (void)net::sysctl(placement.engine_netns, "net.ipv6.ip_nonlocal_bind", "1");
    placement.mgmt_ip = first_ipv4(*mgmt_port);
    placement.mgmt_port_id = string_field(*mgmt_port, "id");
    placement.vrrp_ip = string_field((*vrrp_port)["fixed_ips"][0], "ip_address");
    placement.vrrp_port_id = string_field(*vrrp_port, "id");
    return placement;
}

Result<void> LinuxbridgeDriver::remove_ports_of_device(const std::string& device_id) {
    auto snap = snapshot();
    if (!snap) {
        return Unexpected(snap.error());
    }
    std::set<std::pair<int, std::string>> touched;  // (host, network) that lost a port
    std::set<std::pair<int, std::string>> still_used;
    for (const auto& port : snap->ports) {
        auto plug = plug_of(port, snap->subnets);
        if (string_field(port, "device_id") != device_id) {
            if (plug) {
                still_used.insert({plug->host, plug->network_id});
            }
            continue;
        }
        if (plug) {
            if (auto done = wiring_.unwire_port(*plug); !done) {
                return done;
            }
            wired_.erase(plug->port_id);
            touched.insert({plug->host, plug->network_id});
        }
        if (auto gone = store_.remove(networking::NetKind::kPort, string_field(port, "id"));
            !gone) {
            return failure(gone.error());
        }
    }
    // As the linuxbridge agent: a host keeps a network's bridge only while a port of it is there.
    for (const auto& [host, network_id] : touched) {
        if (still_used.count({host, network_id})) {
            continue;
        }
        auto network = snap->networks_by_id.find(network_id);
        bool external = network != snap->networks_by_id.end() &&
                        network->second.value("router:external", false);
        auto segment = segments_.segment_of(network_id, external, wiring_.settings().vni_range);
        if (!segment) {
            return Unexpected(segment.error());
        }
        if (auto done = wiring_.remove_network_from_host(host, *segment); !done) {
            return done;
        }
    }
    return {};
}

Result<drivers::VipSubnet> LinuxbridgeDriver::vip_subnet(const std::string& subnet_id) {
    std::lock_guard lock(mutex_);
    auto subnet = store_.get(networking::NetKind::kSubnet, subnet_id);
    if (!subnet) {
        return failure(subnet.error());
    }
    const json& s = *subnet;
    json routes = s.value("host_routes", json::array());
    return drivers::VipSubnet{string_field(s, "cidr"), string_field(s, "gateway_ip"),
                              routes.is_array() ? routes : json::array()};
}

Result<void> LinuxbridgeDriver::unplug_amphora(const std::string& amphora_id) {
    std::lock_guard lock(mutex_);
    if (auto done = remove_ports_of_device(amphora_id); !done) {
        return done;
    }
    if (auto done = wiring_.remove_namespace(amphora_engine_namespace(amphora_id)); !done) {
        return done;
    }
    return wiring_.remove_namespace(amphora_namespace(amphora_id));
}

Result<Instance> LinuxbridgeDriver::create_instance(const std::string& name,
                                                    const std::string& network, int host) {
    if (name.empty() || name.size() > 40 ||
        name.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
            std::string::npos) {
        return make_error("host name must be 1-40 letters, digits, '-' or '_'", 400);
    }
    if (host < 1 || host > wiring_.settings().hosts) {
        return make_error(
            "--host must be between 1 and " + std::to_string(wiring_.settings().hosts), 400);
    }
    std::lock_guard lock(mutex_);
    if (auto done = wiring_.ensure_fabric(); !done) {
        return Unexpected(done.error());
    }
    const std::string netns = instance_namespace(name);
    auto snap = snapshot();
    if (!snap) {
        return Unexpected(snap.error());
    }
    for (const auto& port : snap->ports) {
        json profile = port.value("binding:profile", json::object());
        if (profile.is_object() && profile.value("netns", "") == netns) {
            return make_error("host " + name + " exists", 409);
        }
    }
    auto network_id = network_id_by_name(network);
    if (!network_id) {
        return Unexpected(network_id.error());
    }
    std::string instance_id = make_uuid();
    json attrs = {
        {"given",
         {{"network_id", *network_id},
          {"name", name},
          {"device_owner", "compute:nova"},
          {"device_id", instance_id}}},
        {"project_id", ""},
        {"binding:host_id", "host-" + std::to_string(host)},
        {"binding:profile", {{"netns", netns}, {"device", "eth0"}, {"default_route", true}}}};
    auto port = create_plugged_port(attrs, {});
    if (!port) {
        return Unexpected(port.error());
    }
    auto fresh = snapshot();
    if (!fresh) {
        return Unexpected(fresh.error());
    }
    auto plug = plug_of(*port, fresh->subnets);
    Result<void> wired = plug ? wire(*plug, *fresh) : Result<void>(make_error("no plug"));
    if (!wired) {
        (void)remove_ports_of_device(instance_id);
        (void)wiring_.remove_namespace(netns);
        return Unexpected(wired.error());
    }
    return Instance{name,
                    netns,
                    "host-" + std::to_string(host),
                    *network_id,
                    string_field(*port, "id"),
                    first_ipv4(*port),
                    string_field(*port, "mac_address")};
}

Result<std::vector<Instance>> LinuxbridgeDriver::list_instances() {
    auto ports = store_.list(networking::NetKind::kPort);
    if (!ports) {
        return failure(ports.error());
    }
    std::vector<Instance> out;
    for (const auto& port : *ports) {
        json profile = port.value("binding:profile", json::object());
        std::string netns = profile.is_object() ? profile.value("netns", "") : "";
        if (!starts_with(netns, kInstancePrefix)) {
            continue;
        }
        std::string address = first_ipv4(port);
        if (address.empty() && !port["fixed_ips"].empty()) {
            address = string_field(port["fixed_ips"][0], "ip_address");
        }
        out.push_back({netns.substr(std::string(kInstancePrefix).size()), netns,
                       string_field(port, "binding:host_id"), string_field(port, "network_id"),
                       string_field(port, "id"), address, string_field(port, "mac_address")});
    }
    return out;
}

Result<void> LinuxbridgeDriver::delete_instance(const std::string& name) {
    auto instances = list_instances();
    if (!instances) {
        return Unexpected(instances.error());
    }
    for (const auto& instance : *instances) {
        if (instance.name != name) {
            continue;
        }
        std::lock_guard lock(mutex_);
        auto port = store_.get(networking::NetKind::kPort, instance.port_id);
        if (!port) {
            return failure(port.error());
        }
        if (auto done = remove_ports_of_device(string_field(*port, "device_id")); !done) {
            return done;
        }
        return wiring_.remove_namespace(instance.netns);
    }
    return make_error("host " + name + " not found", 404);
}

}  // namespace octane::linuxbridge
