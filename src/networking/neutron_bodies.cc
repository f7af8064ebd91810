#include "networking/neutron_bodies.h"

#include <regex>
#include <set>

#include "networking/cidr.h"
#include "networking/ipam.h"
#include "networking/router_bodies.h"

namespace octane::networking {
namespace {

using nlohmann::json;

Unexpected<NetError> bad(const std::string& message) {
    return net_error(400, "HTTPBadRequest", message);
}

Unexpected<NetError> invalid(const std::string& field, const json& value,
                             const std::string& reason) {
    return bad("Invalid input for " + field + ". Reason: '" +
               (value.is_string() ? value.get<std::string>() : value.dump()) + "' " + reason + ".");
}

const std::set<std::string>& allowed_keys(NetKind kind, bool create) {
    static const std::set<std::string> network = {"name",
                                                  "description",
                                                  "admin_state_up",
                                                  "shared",
                                                  "router:external",
                                                  "mtu",
                                                  "project_id",
                                                  "tenant_id",
                                                  "port_security_enabled",
                                                  "availability_zone_hints",
                                                  "is_default"};
    static const std::set<std::string> subnet = {"name",
                                                 "description",
                                                 "network_id",
                                                 "cidr",
                                                 "ip_version",
                                                 "gateway_ip",
                                                 "allocation_pools",
                                                 "enable_dhcp",
                                                 "dns_nameservers",
                                                 "host_routes",
                                                 "ipv6_ra_mode",
                                                 "ipv6_address_mode",
                                                 "project_id",
                                                 "tenant_id",
                                                 "service_types",
                                                 "subnetpool_id"};
    static const std::set<std::string> port = {"name",
                                               "description",
                                               "network_id",
                                               "fixed_ips",
                                               "device_owner",
                                               "device_id",
                                               "mac_address",
                                               "admin_state_up",
                                               "project_id",
                                               "tenant_id",
                                               "binding:vnic_type",
                                               "port_security_enabled",
                                               "security_groups",
                                               "allowed_address_pairs",
                                               "binding:host_id"};
    static const std::set<std::string> floatingip = {
        "floating_network_id", "port_id",      "fixed_ip_address",
        "floating_ip_address", "subnet_id",    "description",
        "project_id",          "tenant_id",    "dns_name",
        "dns_domain",          "qos_policy_id"};
    static const std::set<std::string> update_network = {
        "name", "description",           "admin_state_up", "shared", "router:external",
        "mtu",  "port_security_enabled", "is_default"};
    static const std::set<std::string> update_subnet = {"name", "description", "enable_dhcp",
                                                        "dns_nameservers", "host_routes"};
    static const std::set<std::string> update_port = {
        "name",           "description",     "device_owner",   "device_id",
        "admin_state_up", "binding:host_id", "security_groups"};
    static const std::set<std::string> update_fip = {"port_id", "fixed_ip_address", "description"};
    static const std::set<std::string> router = {"name",
                                                 "description",
                                                 "admin_state_up",
                                                 "external_gateway_info",
                                                 "availability_zone_hints",
                                                 "project_id",
                                                 "tenant_id"};
    static const std::set<std::string> update_router = {"name", "description", "admin_state_up",
                                                        "external_gateway_info", "routes"};
    switch (kind) {
        case NetKind::kNetwork:
            return create ? network : update_network;
        case NetKind::kSubnet:
            return create ? subnet : update_subnet;
        case NetKind::kPort:
            return create ? port : update_port;
        case NetKind::kFloatingIp:
            return create ? floatingip : update_fip;
        case NetKind::kRouter:
            return create ? router : update_router;
    }
    return network;
}

NetResult<void> check_types(const json& given) {
    static const std::set<std::string> strings = {
        "name",         "description", "network_id",       "cidr",
        "device_owner", "device_id",   "mac_address",      "floating_network_id",
        "project_id",   "tenant_id",   "binding:vnic_type"};
    static const std::set<std::string> booleans = {"admin_state_up",        "shared",
                                                   "router:external",       "enable_dhcp",
                                                   "port_security_enabled", "is_default"};
    for (const auto& [key, value] : given.items()) {
        if (strings.count(key) && !value.is_string()) {
            return invalid(key, value, "is not a valid string");
        }
        if (booleans.count(key) && !value.is_boolean()) {
            return invalid(key, value, "cannot be converted to boolean");
        }
    }
    return {};
}

// Neutron refuses an address to map a floating IP to without the port it belongs to.
NetResult<void> check_fixed_ip_has_port(const json& given) {
    if (given.value("fixed_ip_address", json(nullptr)).is_string() &&
        !given.value("port_id", json(nullptr)).is_string()) {
        return net_error(400, "BadRequest",
                         "Bad floatingip request: fixed_ip_address cannot be specified without a"
                         " port_id.");
    }
    return {};
}

NetResult<void> check_keys(NetKind kind, const json& given, bool create) {
    if (!given.is_object()) {
        return bad("Invalid input for operation: body must be an object.");
    }
    const auto& keys = allowed_keys(kind, create);
    std::string unknown;
    for (const auto& [key, value] : given.items()) {
        if (!keys.count(key)) {
            unknown += (unknown.empty() ? "" : ", ") + ("'" + key + "'");
        }
    }
    if (!unknown.empty()) {
        return bad("Unrecognized attribute(s) " + unknown);
    }
    return check_types(given);
}

void fill_common(json& out, const json& given, const std::string& project) {
    std::string owner = given.value("project_id", given.value("tenant_id", project));
    out["project_id"] = owner;
    out["tenant_id"] = owner;
    out["name"] = given.value("name", "");
    out["description"] = given.value("description", "");
    out["tags"] = json::array();
}

NetResult<CreateInput> subnet_input(const json& given, json out) {
    if (!given.contains("network_id")) {
        return bad("Failed to parse request. Required attribute 'network_id' not specified");
    }
    if (!given.contains("cidr") || !given["cidr"].is_string()) {
        return bad(
            "Bad subnet request: a subnetpool must be specified in the absence of a"
            " cidr.");
    }
    auto cidr = parse_cidr(given["cidr"].get<std::string>());
    if (!cidr) {
        return invalid("cidr", given["cidr"], "is not a valid IP subnet");
    }
    if (!given.contains("ip_version") || !given["ip_version"].is_number_integer() ||
        (given["ip_version"] != 4 && given["ip_version"] != 6)) {
        return invalid("ip_version", given.value("ip_version", json(nullptr)), "is not in [4, 6]");
    }
    if (given["ip_version"].get<int>() != cidr->version) {
        return bad("Invalid input for operation: Cannot use IPv" +
                   std::to_string(given["ip_version"].get<int>()) + " subnet with cidr " +
                   cidr->text() + ".");
    }
    if ((cidr->version == 4 && cidr->prefix > 30) || (cidr->version == 6 && cidr->prefix > 126)) {
        return bad("Invalid input for operation: The prefix length of " + cidr->text() +
                   " is too long for a subnet.");
    }
    std::optional<IpAddress> gateway = default_gateway(*cidr);
    if (given.contains("gateway_ip")) {
        if (given["gateway_ip"].is_null()) {
            gateway.reset();
        } else {
            auto ip = given["gateway_ip"].is_string()
                          ? parse_ip(given["gateway_ip"].get<std::string>())
                          : std::nullopt;
            if (!ip || !cidr->contains(*ip)) {
                return invalid("gateway_ip", given["gateway_ip"],
                               "is not a valid IP address in the subnet " + cidr->text());
            }
            gateway = ip;
        }
    }
    std::vector<AddressRange> pools;
    if (given.contains("allocation_pools") && !given["allocation_pools"].is_null()) {
        if (!given["allocation_pools"].is_array()) {
            return invalid("allocation_pools", given["allocation_pools"], "is not a list");
        }
        std::vector<std::pair<std::string, std::string>> texts;
        for (const auto& pool : given["allocation_pools"]) {
            if (!pool.is_object() || !pool.contains("start") || !pool.contains("end") ||
                !pool["start"].is_string() || !pool["end"].is_string()) {
                return invalid("allocation_pools", pool, "is not a valid pool");
            }
            texts.emplace_back(pool["start"].get<std::string>(), pool["end"].get<std::string>());
        }
        auto parsed = parse_pools(*cidr, texts, gateway);
        if (!parsed) {
            int status = parsed.error().code;
            return net_error(
                status, status == 409 ? "GatewayConflictWithAllocationPools" : "HTTPBadRequest",
                parsed.error().message);
        }
        pools = *parsed;
    } else {
        pools = default_pools(*cidr, gateway);
    }
    out["network_id"] = given["network_id"];
    out["cidr"] = cidr->text();
    out["ip_version"] = cidr->version;
    out["gateway_ip"] = gateway ? json(format_ip(*gateway)) : json(nullptr);
    json pool_list = json::array();
    for (const auto& pool : pools) {
        pool_list.push_back({{"start", format_ip({cidr->version, pool.start})},
                             {"end", format_ip({cidr->version, pool.end})}});
    }
    out["allocation_pools"] = pool_list;
    out["enable_dhcp"] = given.value("enable_dhcp", true);
    out["dns_nameservers"] = given.value("dns_nameservers", json::array());
    out["host_routes"] = given.value("host_routes", json::array());
    out["ipv6_ra_mode"] = given.value("ipv6_ra_mode", json(nullptr));
    out["ipv6_address_mode"] = given.value("ipv6_address_mode", json(nullptr));
    out["subnetpool_id"] = nullptr;
    out["service_types"] = json::array();
    return CreateInput{out, {}};
}

NetResult<CreateInput> port_input(const json& given, json out) {
    if (!given.contains("network_id")) {
        return bad("Failed to parse request. Required attribute 'network_id' not specified");
    }
    CreateInput input;
    if (given.contains("fixed_ips")) {
        if (!given["fixed_ips"].is_array()) {
            return invalid("fixed_ips", given["fixed_ips"], "is not a list");
        }
        for (const auto& ip : given["fixed_ips"]) {
            if (!ip.is_object()) {
                return invalid("fixed_ips", ip, "is not a dictionary");
            }
            FixedIpRequest request;
            for (const auto& [key, value] : ip.items()) {
                if ((key != "subnet_id" && key != "ip_address") || !value.is_string()) {
                    return invalid("fixed_ips", ip, "is not a valid fixed IP");
                }
            }
            if (ip.contains("subnet_id")) {
                request.subnet_id = ip["subnet_id"].get<std::string>();
            }
            if (ip.contains("ip_address")) {
                auto parsed = parse_ip(ip["ip_address"].get<std::string>());
                if (!parsed) {
                    return invalid("fixed_ips", ip["ip_address"], "is not a valid IP address");
                }
                request.ip_address = format_ip(*parsed);
            }
            if (!request.subnet_id && !request.ip_address) {
                return invalid("fixed_ips", ip, "is not a valid fixed IP");
            }
            input.fixed_ips.push_back(request);
        }
    }
    if (given.contains("mac_address")) {
        static const std::regex mac("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$");
        if (!std::regex_match(given["mac_address"].get<std::string>(), mac)) {
            return invalid("mac_address", given["mac_address"], "is not a valid MAC address");
        }
        out["mac_address"] = given["mac_address"];
    }
    out["network_id"] = given["network_id"];
    out["device_owner"] = given.value("device_owner", "");
    out["device_id"] = given.value("device_id", "");
    out["admin_state_up"] = given.value("admin_state_up", true);
    out["binding:vnic_type"] = given.value("binding:vnic_type", "normal");
    out["port_security_enabled"] = given.value("port_security_enabled", true);
    out["security_groups"] = json::array();
    out["allowed_address_pairs"] = json::array();
    out["extra_dhcp_opts"] = json::array();
    input.attrs = out;
    return input;
}

}  // namespace

json neutron_error_body(const NetError& error) {
    return {{"NeutronError", {{"type", error.type}, {"message", error.message}, {"detail", ""}}}};
}

NetResult<CreateInput> validate_create(NetKind kind, const json& given, const std::string& project,
                                       bool admin) {
    if (auto ok = check_keys(kind, given, true); !ok) {
        return Unexpected(ok.error());
    }
    if (!admin && given.value("project_id", given.value("tenant_id", project)) != project) {
        return net_error(403, "HTTPForbidden",
                         "Specifying 'project_id' or 'tenant_id' other than the authenticated"
                         " project in request requires admin privileges");
    }
    json out = json::object();
    fill_common(out, given, project);
    switch (kind) {
        case NetKind::kNetwork:
            if (!admin && (given.value("router:external", false) || given.value("shared", false))) {
                return net_error(403, "HTTPForbidden",
                                 "(rule:create_network:shared) is disallowed by policy");
            }
            out["admin_state_up"] = given.value("admin_state_up", true);
            out["shared"] = given.value("shared", false);
            out["router:external"] = given.value("router:external", false);
            out["mtu"] = given.value("mtu", 1500);
            out["port_security_enabled"] = given.value("port_security_enabled", true);
            out["is_default"] = given.value("is_default", false);
            out["availability_zone_hints"] = json::array();
            out["availability_zones"] = json::array({"nova"});
            out["ipv4_address_scope"] = nullptr;
            out["ipv6_address_scope"] = nullptr;
            out["provider:network_type"] = "local";
            out["provider:physical_network"] = nullptr;
            out["provider:segmentation_id"] = nullptr;
            return CreateInput{out, {}};
        case NetKind::kSubnet:
            return subnet_input(given, out);
        case NetKind::kPort:
            return port_input(given, out);
        case NetKind::kFloatingIp:
            out.erase("name");
            if (!given.contains("floating_network_id")) {
                return bad(
                    "Failed to parse request. Required attribute 'floating_network_id' not"
                    " specified");
            }
            for (const char* key :
                 {"port_id", "fixed_ip_address", "floating_ip_address", "subnet_id"}) {
                if (given.contains(key) && !given[key].is_null() && !given[key].is_string()) {
                    return invalid(key, given[key], "is not a valid string");
                }
                out[key] = given.value(key, json(nullptr));
            }
            if (auto ok = check_fixed_ip_has_port(given); !ok) {
                return Unexpected(ok.error());
            }
            out["floating_network_id"] = given["floating_network_id"];
            out["dns_name"] = given.value("dns_name", "");
            out["dns_domain"] = given.value("dns_domain", "");
            out["qos_policy_id"] = nullptr;
            return CreateInput{out, {}};
        case NetKind::kRouter:
            return router_input(given, out, admin);
    }
    return bad("unsupported resource");
}

NetResult<json> validate_update(NetKind kind, const json& given, bool admin) {
    if (auto ok = check_keys(kind, given, false); !ok) {
        return Unexpected(ok.error());
    }
    if (kind == NetKind::kFloatingIp) {
        if (auto ok = check_fixed_ip_has_port(given); !ok) {
            return Unexpected(ok.error());
        }
    }
    if (kind == NetKind::kNetwork && !admin &&
        (given.contains("router:external") || given.contains("shared"))) {
        return net_error(403, "HTTPForbidden",
                         "(rule:update_network:shared) is disallowed by policy");
    }
    return given;
}

}  // namespace octane::networking
