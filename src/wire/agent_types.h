#pragma once

// Bodies of the amphora agent REST API (docs/amphora.md §1) shared by the controller's client and
// the agent's server. Field names are Octavia's. from_json() never throws.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::wire {

struct HostRoute {
    std::string nexthop;
    std::string destination;
};

struct AdditionalVipPlug {
    std::string subnet_cidr;
    std::string ip_address;
    std::string gateway;
    std::vector<HostRoute> host_routes;
};

// POST /1.0/plug/vip/{vip_ip}
struct PlugVipRequest {
    std::string subnet_cidr;  // mandatory
    std::string gateway;      // mandatory (may be null in JSON -> empty)
    std::string mac_address;  // mandatory
    std::optional<int> mtu;
    std::string vrrp_ip;
    std::vector<HostRoute> host_routes;
    std::vector<AdditionalVipPlug> additional_vips;
    bool is_sriov = false;
};

// One element of GET /1.0/listeners.
struct ListenerStatusEntry {
    std::string status;  // ACTIVE
    std::string uuid;    // listener id (or LB id for the combined haproxy process)
    std::string type;    // haproxy mode: TCP, HTTP, ...
};

// GET /1.0/info
struct AgentInfo {
    std::string hostname;
    std::string haproxy_version;
    std::string api_version = "1.0";
};

// {"message": ..., "details": ...}: the agent's answer for handled requests and errors.
struct AgentMessage {
    std::string message;
    std::string details;
};

// One element of PUT /1.0/interface/{ip}/rules.
struct InterfaceRule {
    std::string protocol;  // TCP, UDP, SCTP, VRRP
    std::optional<std::string> cidr;
    int port = 0;
};

nlohmann::json to_json(const PlugVipRequest& value);
nlohmann::json to_json(const ListenerStatusEntry& value);
nlohmann::json to_json(const AgentInfo& value);
nlohmann::json to_json(const AgentMessage& value);
nlohmann::json to_json(const InterfaceRule& value);

Result<PlugVipRequest> plug_vip_from_json(const nlohmann::json& body);
Result<ListenerStatusEntry> listener_status_from_json(const nlohmann::json& body);
Result<AgentInfo> agent_info_from_json(const nlohmann::json& body);
Result<AgentMessage> agent_message_from_json(const nlohmann::json& body);
Result<InterfaceRule> interface_rule_from_json(const nlohmann::json& body);

}  // namespace octane::wire
