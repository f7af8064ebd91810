#pragma once

// The `linuxbridge` network driver: the built-in Neutron subset made real on this machine, as
// Neutron's linuxbridge and L3 agents do on compute and network nodes. Simulated compute hosts are
// namespaces (octane-host-N) joined by an underlay in octane-fabric; tenant networks are VXLAN
// segments (vxlan-<vni> on each host's brq<11>), `provider` is flat; routers are qrouter-<id>
// namespaces with qr-/qg- ports and nftables NAT; amphorae and instances are namespaces plugged
// with veth tap<11> pairs. IPAM and the API are the `local` driver's (the database is the truth);
// this driver realises what the database says and repairs the machine to match it.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/database.h"
#include "drivers/amphora_networking.h"
#include "drivers/network_driver.h"
#include "linuxbridge/port_plug.h"
#include "linuxbridge/router_nat.h"
#include "linuxbridge/segments.h"
#include "linuxbridge/settings.h"
#include "linuxbridge/wiring.h"
#include "networking/local_network_driver.h"
#include "networking/network_store.h"

namespace octane::linuxbridge {

inline constexpr const char* kMgmtNetworkName = "lb-mgmt-net";
inline constexpr const char* kMgmtSubnetName = "lb-mgmt-subnet";
inline constexpr const char* kControllerPortName = "octavia-health-manager-listen-port";

// An instance made by `octane host create`.
struct Instance {
    std::string name;
    std::string netns;
    std::string host;
    std::string network_id;
    std::string port_id;
    std::string address;
    std::string mac;
};

// Root, or the capabilities the driver needs (CAP_NET_ADMIN for links, CAP_SYS_ADMIN for namespace
// mounts and setns); the error names what is missing.
Result<void> check_privileges();

class LinuxbridgeDriver final : public drivers::NetworkDriver, public drivers::AmphoraNetworking {
  public:
    static Result<std::unique_ptr<LinuxbridgeDriver>> create(db::Database& db,
                                                             networking::NetworkStore& store,
                                                             LinuxbridgeSettings settings);

    // NetworkDriver: IPAM as the local driver.
    Result<drivers::Vip, drivers::NetworkError> allocate_vip(
        const drivers::VipRequest& request) override;
    Result<void> deallocate_vip(const std::string& load_balancer_id,
                                const drivers::Vip& vip) override;
    Result<void, drivers::NetworkError> check_subnet(const std::string& subnet_id,
                                                     const drivers::NetworkCaller& caller) override;

    // First start: lb-mgmt-net and the controller's port on it (o-hm0).
    Result<void> bootstrap(const std::string& admin_project);
    // Makes the machine match the database. At start (before any amphora is being made) it also
    // removes ports of amphorae that no longer exist (a crash mid-create) and their namespaces.
    Result<void> reconcile(bool at_start);

    // Removes everything the driver made on this machine: its namespaces (and the processes in
    // them: amphorae, instances), o-hm0, the unreachable routes. The database is left alone; the
    // next reconcile rebuilds the machine from it.
    Result<void> teardown();

    // AmphoraNetworking
    Result<drivers::AmphoraPlacement> plug_amphora(const std::string& amphora_id,
                                                   const nlohmann::json& load_balancer,
                                                   const drivers::AmphoraRequest& request) override;
    Result<drivers::VipSubnet> vip_subnet(const std::string& subnet_id) override;
    Result<void> unplug_amphora(const std::string& amphora_id) override;
    std::string controller_ip() override;

    // Instances to balance to (Nova's part, for `octane host`).
    Result<Instance> create_instance(const std::string& name, const std::string& network, int host);
    Result<void> delete_instance(const std::string& name);
    Result<std::vector<Instance>> list_instances();

    const Wiring& wiring() const { return wiring_; }

  private:
    LinuxbridgeDriver(db::Database& db, networking::NetworkStore& store,
                      LinuxbridgeSettings settings);

    struct Snapshot;
    Result<Snapshot> snapshot();
    Result<void> wire(const PortPlug& plug, const Snapshot& snap);
    Result<void> realize_routers(const Snapshot& snap);
    Result<void> remove_strays(const Snapshot& snap, const std::vector<PortPlug>& plugs);
    Result<void> remove_orphan_amphora_ports(Snapshot& snap);
    Result<std::string> network_id_by_name(const std::string& name);
    Result<nlohmann::json> create_plugged_port(nlohmann::json attrs,
                                               const std::vector<networking::FixedIpRequest>& ips);
    Result<void> remove_ports_of_device(const std::string& device_id);

    db::Database& db_;
    networking::NetworkStore& store_;
    SegmentStore segments_;
    Wiring wiring_;
    networking::LocalNetworkDriver ipam_;
    std::mutex mutex_;  // one realisation at a time (worker threads, API threads)
    struct AppliedNat {
        std::string batch;  // the last nft batch applied
        std::vector<FloatingIpNat> floating_ips;
    };
    std::map<std::string, AppliedNat> applied_nat_;  // by router id
    // Ports this process wired, as wired: a later reconcile leaves them alone (no netlink call)
    // unless their plug changed. Cleared at start so everything is checked once.
    std::map<std::string, PortPlug> wired_;
    unsigned next_host_ = 0;
};

}  // namespace octane::linuxbridge
