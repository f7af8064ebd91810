#include "wire/agent_types.h"

namespace octane::wire {
namespace {

using json = nlohmann::json;

json routes_json(const std::vector<HostRoute>& routes) {
    json out = json::array();
    for (const HostRoute& r : routes) {
        out.push_back({{"nexthop", r.nexthop}, {"destination", r.destination}});
    }
    return out;
}

json nullable(const std::string& s) {
    return s.empty() ? json(nullptr) : json(s);
}

std::string text(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<HostRoute> routes(const json& j) {
    std::vector<HostRoute> out;
    auto it = j.find("host_routes");
    if (it != j.end() && it->is_array()) {
        for (const json& r : *it) {
            if (r.is_object()) {
                out.push_back({text(r, "nexthop"), text(r, "destination")});
            }
        }
    }
    return out;
}

Unexpected<Error> missing(const char* body, const char* field) {
    return make_error(std::string("invalid ") + body + ": \"" + field + "\" is required");
}

}  // namespace

json to_json(const PlugVipRequest& v) {
    json extra = json::array();
    for (const AdditionalVipPlug& a : v.additional_vips) {
        extra.push_back({{"subnet_cidr", a.subnet_cidr},
                         {"ip_address", a.ip_address},
                         {"gateway", nullable(a.gateway)},
                         {"host_routes", routes_json(a.host_routes)}});
    }
    return {{"subnet_cidr", v.subnet_cidr},   {"gateway", nullable(v.gateway)},
            {"mac_address", v.mac_address},   {"mtu", v.mtu ? json(*v.mtu) : json(nullptr)},
            {"vrrp_ip", nullable(v.vrrp_ip)}, {"host_routes", routes_json(v.host_routes)},
            {"additional_vips", extra},       {"is_sriov", v.is_sriov}};
}

json to_json(const ListenerStatusEntry& v) {
    return {{"status", v.status}, {"uuid", v.uuid}, {"type", v.type}};
}

json to_json(const AgentInfo& v) {
    return {{"hostname", v.hostname},
            {"haproxy_version", v.haproxy_version},
            {"api_version", v.api_version}};
}

json to_json(const AgentMessage& v) {
    return {{"message", v.message}, {"details", v.details}};
}

json to_json(const InterfaceRule& v) {
    return {{"protocol", v.protocol},
            {"cidr", v.cidr ? json(*v.cidr) : json(nullptr)},
            {"port", v.port}};
}

Result<PlugVipRequest> plug_vip_from_json(const json& body) {
    if (!body.is_object()) {
        return make_error("invalid plug vip body: not an object");
    }
    PlugVipRequest v;
    v.subnet_cidr = text(body, "subnet_cidr");
    v.gateway = text(body, "gateway");
    v.mac_address = text(body, "mac_address");
    if (v.subnet_cidr.empty()) {
        return missing("plug vip body", "subnet_cidr");
    }
    if (v.mac_address.empty()) {
        return missing("plug vip body", "mac_address");
    }
    if (auto mtu = body.find("mtu"); mtu != body.end() && mtu->is_number_integer()) {
        v.mtu = mtu->get<int>();
    }
    v.vrrp_ip = text(body, "vrrp_ip");
    v.host_routes = routes(body);
    if (auto extra = body.find("additional_vips"); extra != body.end() && extra->is_array()) {
        for (const json& a : *extra) {
            if (!a.is_object()) {
                return make_error("invalid plug vip body: additional_vips item is not an object");
            }
            v.additional_vips.push_back(
                {text(a, "subnet_cidr"), text(a, "ip_address"), text(a, "gateway"), routes(a)});
        }
    }
    auto sriov = body.find("is_sriov");
    v.is_sriov = sriov != body.end() && sriov->is_boolean() && sriov->get<bool>();
    return v;
}

Result<ListenerStatusEntry> listener_status_from_json(const json& body) {
    if (!body.is_object() || text(body, "uuid").empty()) {
        return missing("listener entry", "uuid");
    }
    return ListenerStatusEntry{text(body, "status"), text(body, "uuid"), text(body, "type")};
}

Result<AgentInfo> agent_info_from_json(const json& body) {
    if (!body.is_object() || text(body, "api_version").empty()) {
        return missing("agent info", "api_version");
    }
    return AgentInfo{text(body, "hostname"), text(body, "haproxy_version"),
                     text(body, "api_version")};
}

Result<AgentMessage> agent_message_from_json(const json& body) {
    if (!body.is_object()) {
        return make_error("invalid agent message: not an object");
    }
    auto details = body.find("details");
    std::string detail_text = details == body.end() || details->is_null() ? ""
                              : details->is_string()
                                  ? details->get<std::string>()
                                  : details->dump(-1, ' ', false, json::error_handler_t::replace);
    return AgentMessage{text(body, "message"), detail_text};
}

Result<InterfaceRule> interface_rule_from_json(const json& body) {
    if (!body.is_object()) {
        return make_error("invalid interface rule: not an object");
    }
    InterfaceRule r;
    r.protocol = text(body, "protocol");
    if (r.protocol != "TCP" && r.protocol != "UDP" && r.protocol != "SCTP" &&
        r.protocol != "VRRP") {
        return make_error("invalid interface rule: protocol must be TCP, UDP, SCTP or VRRP");
    }
    auto cidr = body.find("cidr");
    if (cidr != body.end() && cidr->is_string()) {
        r.cidr = cidr->get<std::string>();
    }
    auto port = body.find("port");
    if (port == body.end() || !port->is_number_integer() || port->get<long long>() < 1 ||
        port->get<long long>() > 65535) {
        return make_error("invalid interface rule: port must be 1..65535");
    }
    r.port = port->get<int>();
    return r;
}

}  // namespace octane::wire
