#include "linuxbridge/names.h"

namespace octane::linuxbridge {
namespace {

std::string prefixed(const char* prefix, const std::string& id) {
    return prefix + id.substr(0, kIdChars);
}

bool starts_with(const std::string& text, const char* prefix) {
    return text.rfind(prefix, 0) == 0;
}

}  // namespace

std::string bridge_name(const std::string& network_id) {
    return prefixed("brq", network_id);
}

std::string tap_name(const std::string& port_id) {
    return prefixed("tap", port_id);
}

std::string vxlan_name(uint32_t vni) {
    return "vxlan-" + std::to_string(vni);
}

std::string router_namespace(const std::string& router_id) {
    return kRouterPrefix + router_id;
}

std::string router_interface_name(const std::string& port_id) {
    return prefixed("qr-", port_id);
}

std::string router_gateway_name(const std::string& port_id) {
    return prefixed("qg-", port_id);
}

std::string host_name(int host) {
    return "host-" + std::to_string(host);
}

std::string host_namespace(int host) {
    return kHostPrefix + std::to_string(host);
}

std::string instance_namespace(const std::string& name) {
    return kInstancePrefix + name;
}

std::string amphora_namespace(const std::string& amphora_id) {
    return kAmphoraPrefix + amphora_id;
}

std::string amphora_engine_namespace(const std::string& amphora_id) {
    return kAmphoraEnginePrefix + amphora_id;
}

std::string fabric_underlay_peer(int host) {
    return "ul-host-" + std::to_string(host);
}

std::string fabric_physical_peer(int host) {
    return "ph-host-" + std::to_string(host);
}

bool is_driver_namespace(const std::string& name) {
    return name == kFabricNamespace || starts_with(name, kHostPrefix) ||
           starts_with(name, kInstancePrefix) || starts_with(name, kAmphoraPrefix) ||
           starts_with(name, kRouterPrefix);
}

}  // namespace octane::linuxbridge
