#pragma once

// Options of the linuxbridge network driver ([linuxbridge] in octavia.conf-style files).

#include <cstdint>
#include <string>

#include "linuxbridge/host_choice.h"
#include "linuxbridge/segments.h"

namespace octane::linuxbridge {

struct LinuxbridgeSettings {
    int hosts = 2;                                // simulated compute hosts (namespaces), >= 2
    VniRange vni_range{1, 1000};                  // [linuxbridge] vni_ranges = 1:1000
    std::string underlay_cidr = "198.18.0.0/24";  // host N's VTEP is the (N+10)th address
    uint16_t vxlan_port = 8472;                   // Linux's default, as Neutron's when unset
    std::string vxlan_group = "224.0.0.1";        // Neutron's default vxlan_group
    std::string lb_mgmt_cidr = "10.0.0.0/24";     // lb-mgmt-net, reached from the root namespace
    // Attach the root namespace to `provider` (o-ex0), so `ssh <floating ip>` works from the
    // host's shell; off by default: nothing but o-hm0 enters the root namespace.
    bool attach_root_to_provider = false;
    // [nova] enable_anti_affinity / anti_affinity_policy. On by default, unlike Octavia: the
    // simulated hosts are there to show that one host's death never takes both of a pair.
    AntiAffinity anti_affinity = AntiAffinity::kHard;
    // Metric of the `unreachable` routes that keep simulated CIDRs from ever leaving the machine.
    uint32_t unreachable_metric = 4242;
};

}  // namespace octane::linuxbridge
