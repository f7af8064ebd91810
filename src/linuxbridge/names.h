#pragma once

// Names of the devices and namespaces the linuxbridge driver creates, as Neutron's linuxbridge and
// L3 agents name them (a 3-character prefix and the first 11 characters of the object's UUID, so a
// name fits the kernel's 15-byte limit), plus the namespaces that stand for machines here. Pure.

#include <cstdint>
#include <string>

namespace octane::linuxbridge {

inline constexpr int kIdChars = 11;

std::string bridge_name(const std::string& network_id);         // brq6d947ca8-d4
std::string tap_name(const std::string& port_id);               // tap9d34b34b-3f
std::string vxlan_name(uint32_t vni);                           // vxlan-267
std::string router_namespace(const std::string& router_id);     // qrouter-<full id>
std::string router_interface_name(const std::string& port_id);  // qr-<11>
std::string router_gateway_name(const std::string& port_id);    // qg-<11>

// Simulated machines. Every namespace the driver owns starts with one of these prefixes, so
// reconciliation can tell ours from anyone else's.
inline constexpr const char* kFabricNamespace = "octane-fabric";  // underlay and physical segment
inline constexpr const char* kHostPrefix = "octane-host-";        // simulated compute host N
inline constexpr const char* kInstancePrefix = "octane-vm-";      // `octane host create NAME`
inline constexpr const char* kAmphoraPrefix = "amphora-";         // an amphora "VM"
inline constexpr const char* kAmphoraEnginePrefix = "amphora-haproxy-";  // its amphora-haproxy
inline constexpr const char* kRouterPrefix = "qrouter-";

std::string host_name(int host);                          // host-1 (binding:host_id, cached_zone)
std::string host_namespace(int host);                     // octane-host-1
std::string instance_namespace(const std::string& name);  // octane-vm-<name>
std::string amphora_namespace(const std::string& amphora_id);         // amphora-<id>
std::string amphora_engine_namespace(const std::string& amphora_id);  // amphora-haproxy-<id>

// Devices of the fabric: each host's underlay NIC and physical NIC (as eth0/eth3 in the seed's
// compute node), their fabric-side peers, and the fabric's two bridges.
inline constexpr const char* kHostUnderlayDevice = "eth0";
inline constexpr const char* kHostPhysicalDevice = "eth1";
inline constexpr const char* kUnderlayBridge = "br-underlay";
inline constexpr const char* kPhysicalBridge = "br-provider";
std::string fabric_underlay_peer(int host);  // ul-host-1
std::string fabric_physical_peer(int host);  // ph-host-1

// The controller's port on lb-mgmt-net (Octavia's devstack names): o-hm0 in the root namespace,
// o-bhm0 on the management bridge of the network node.
inline constexpr const char* kControllerDevice = "o-hm0";
inline constexpr const char* kControllerPeer = "o-bhm0";
// The root namespace's optional port on the provider network (Neutron's br-ex idea).
inline constexpr const char* kRootProviderDevice = "o-ex0";
inline constexpr const char* kRootProviderPeer = "o-bex0";
inline constexpr const char* kRootProviderOwner = "octane:root-provider";  // its port's owner

// True for namespace names the driver may create (and so may remove when nothing claims them).
bool is_driver_namespace(const std::string& name);

}  // namespace octane::linuxbridge
