#include "networking/router_bodies.h"

#include <set>

#include "common/uuid.h"
#include "networking/cidr.h"

namespace octane::networking {
namespace {

using nlohmann::json;

// Neutron's attribute validation failure: "Invalid input for <field>. Reason: <reason>."
Unexpected<NetError> invalid_input(const std::string& field, const std::string& reason) {
    return net_error(400, "HTTPBadRequest",
                     "Invalid input for " + field + ". Reason: " + reason + ".");
}

Unexpected<NetError> bad_gateway(const std::string& reason) {
    return invalid_input("external_gateway_info", reason);
}

std::string text_of(const json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string key_list(const json& object) {
    std::string keys;
    for (const auto& [key, value] : object.items()) {
        keys += (keys.empty() ? "'" : ", '") + key + "'";
    }
    return "{" + keys + "}";
}

NetResult<std::vector<FixedIpRequest>> external_fixed_ips(const json& given) {
    if (!given.is_array()) {
        return bad_gateway("'" + text_of(given) + "' is not a list");
    }
    std::vector<FixedIpRequest> out;
    for (const auto& ip : given) {
        if (!ip.is_object() || ip.empty()) {
            return bad_gateway("'" + text_of(ip) + "' is not a valid fixed IP");
        }
        FixedIpRequest request;
        for (const auto& [key, value] : ip.items()) {
            if ((key != "subnet_id" && key != "ip_address") || !value.is_string()) {
                return bad_gateway("'" + text_of(ip) + "' is not a valid fixed IP");
            }
        }
        if (ip.contains("subnet_id")) {
            request.subnet_id = ip["subnet_id"].get<std::string>();
        }
        if (ip.contains("ip_address")) {
            auto parsed = parse_ip(ip["ip_address"].get<std::string>());
            if (!parsed) {
                return bad_gateway("'" + ip["ip_address"].get<std::string>() +
                                   "' is not a valid IP address");
            }
            request.ip_address = format_ip(*parsed);
        }
        out.push_back(request);
    }
    return out;
}

}  // namespace

NetResult<std::optional<GatewayRequest>> parse_gateway_info(const json& given, bool admin,
                                                            bool create) {
    if (given.is_null() || (given.is_object() && given.empty())) {
        return std::optional<GatewayRequest>();
    }
    if (!given.is_object()) {
        return bad_gateway("'" + text_of(given) + "' is not a dictionary");
    }
    static const std::set<std::string> known = {"network_id", "enable_snat", "external_fixed_ips"};
    std::string unexpected;
    for (const auto& [key, value] : given.items()) {
        if (!known.count(key)) {
            unexpected += (unexpected.empty() ? "" : ", ") + key;
        }
    }
    if (!unexpected.empty()) {
        return bad_gateway("Unexpected keys supplied: " + unexpected);
    }
    if (!given.contains("network_id")) {
        return bad_gateway(
            "Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided"
            " keys: " +
            key_list(given));
    }
    if (!given["network_id"].is_string() || !is_uuid(given["network_id"].get<std::string>())) {
        return bad_gateway("'" + text_of(given["network_id"]) + "' is not a valid UUID");
    }
    GatewayRequest gateway;
    gateway.network_id = given["network_id"].get<std::string>();
    const std::string action = create ? "create_router" : "update_router";
    for (const char* restricted : {"enable_snat", "external_fixed_ips"}) {
        if (given.contains(restricted) && !admin) {
            return net_error(403, "HTTPForbidden",
                             "(rule:" + action + ":external_gateway_info:" + restricted +
                                 ") is disallowed by policy");
        }
    }
    if (given.contains("enable_snat")) {
        if (!given["enable_snat"].is_boolean()) {
            return bad_gateway("'" + text_of(given["enable_snat"]) +
                               "' cannot be converted to boolean");
        }
        gateway.enable_snat = given["enable_snat"].get<bool>();
    }
    if (given.contains("external_fixed_ips")) {
        auto ips = external_fixed_ips(given["external_fixed_ips"]);
        if (!ips) {
            return Unexpected(ips.error());
        }
        gateway.external_fixed_ips = std::move(*ips);
    }
    return std::optional<GatewayRequest>(std::move(gateway));
}

NetResult<CreateInput> router_input(const json& given, json out, bool admin) {
    CreateInput input;
    if (given.contains("external_gateway_info")) {
        auto gateway = parse_gateway_info(given["external_gateway_info"], admin, true);
        if (!gateway) {
            return Unexpected(gateway.error());
        }
        input.gateway = std::move(*gateway);
    }
    json hints = given.value("availability_zone_hints", json::array());
    if (!hints.is_array()) {
        return invalid_input("availability_zone_hints", "'" + text_of(hints) + "' is not a list");
    }
    for (const auto& hint : hints) {
        if (!hint.is_string()) {
            return invalid_input("availability_zone_hints",
                                 "'" + text_of(hint) + "' is not a valid string");
        }
    }
    out["admin_state_up"] = given.value("admin_state_up", true);
    out["status"] = "ACTIVE";
    out["external_gateway_info"] = nullptr;
    out["routes"] = json::array();
    out["distributed"] = false;
    out["ha"] = false;
    out["availability_zone_hints"] = hints;
    out["availability_zones"] = json::array();
    out["flavor_id"] = nullptr;
    input.attrs = std::move(out);
    return input;
}

NetResult<json> parse_routes(const json& given) {
    if (given.is_null()) {
        return json::array();
    }
    if (!given.is_array()) {
        return invalid_input("routes", "'" + text_of(given) + "' is not a list");
    }
    json routes = json::array();
    for (const auto& route : given) {
        const bool shaped = route.is_object() && route.size() == 2 &&
                            route.contains("destination") && route.contains("nexthop") &&
                            route["destination"].is_string() && route["nexthop"].is_string();
        auto destination =
            shaped ? parse_cidr(route["destination"].get<std::string>()) : std::nullopt;
        auto nexthop = shaped ? parse_ip(route["nexthop"].get<std::string>()) : std::nullopt;
        if (!destination || !nexthop) {
            return invalid_input("routes",
                                 "Invalid data format for hostroute: '" + text_of(route) + "'");
        }
        json normal = {{"destination", destination->text()}, {"nexthop", format_ip(*nexthop)}};
        for (const auto& earlier : routes) {
            if (earlier == normal) {
                return invalid_input("routes", "Duplicate hostroute '" + text_of(route) + "'");
            }
        }
        routes.push_back(normal);
    }
    return routes;
}

std::string routes_text(const json& routes) {
    std::string text;
    for (const auto& route : routes) {
        text += (text.empty() ? "" : ", ") +
                ("{'destination': '" + route["destination"].get<std::string>() + "', 'nexthop': '" +
                 route["nexthop"].get<std::string>() + "'}");
    }
    return "[" + text + "]";
}

NetResult<InterfaceRequest> parse_interface_request(const json& body, bool removal) {
    auto bad_router = [](const std::string& message) {
        return net_error(400, "BadRequest", "Bad router request: " + message + ".");
    };
    if (!body.is_object()) {
        return bad_router("Either subnet_id or port_id must be specified");
    }
    InterfaceRequest request;
    for (const char* key : {"subnet_id", "port_id"}) {
        if (!body.contains(key)) {
            continue;
        }
        if (!body[key].is_string() || !is_uuid(body[key].get<std::string>())) {
            return bad_router("'" + text_of(body[key]) + "' is not a valid UUID");
        }
        (std::string(key) == "subnet_id" ? request.subnet_id : request.port_id) =
            body[key].get<std::string>();
    }
    if (!request.subnet_id && !request.port_id) {
        return bad_router("Either subnet_id or port_id must be specified");
    }
    if (!removal && request.subnet_id && request.port_id) {
        return bad_router("Cannot specify both subnet-id and port-id");
    }
    return request;
}

}  // namespace octane::networking
