// The router routes of the Neutron surface that differ from the generic ones: PUT with an
// external gateway, and the add/remove_router_interface actions.

#include "networking/neutron_responses.h"
#include "networking/neutron_service.h"
#include "networking/router_bodies.h"
#include "networking/visibility.h"

namespace octane::networking {

using nlohmann::json;

http::HttpResponse NeutronService::update_router(const http::HttpRequest& request,
                                                 const std::string& id,
                                                 const identity::Caller& caller) {
    const bool admin = is_admin(caller);
    const drivers::NetworkCaller viewer{caller.project_id, admin};
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("router")) {
        return fault(
            {400, "HTTPBadRequest", "Failed to parse request. Resource 'router' not found."});
    }
    auto changes = validate_update(NetKind::kRouter, body["router"], admin);
    if (!changes) {
        return fault(changes.error());
    }
    if (changes->contains("routes")) {
        auto routes = parse_routes((*changes)["routes"]);
        if (!routes) {
            return fault(routes.error());
        }
        (*changes)["routes"] = std::move(*routes);
    }
    GatewayChange gateway;
    if (changes->contains("external_gateway_info")) {
        auto parsed = parse_gateway_info((*changes)["external_gateway_info"], admin, false);
        if (!parsed) {
            return fault(parsed.error());
        }
        gateway = {true, std::move(*parsed)};
        changes->erase("external_gateway_info");
    }
    if (gateway.gateway) {
        const std::string& network_id = gateway.gateway->network_id;
        auto network = store_.get(NetKind::kNetwork, network_id);
        if (!network || !visible_to(viewer, NetKind::kNetwork, *network, nullptr)) {
            return fault(not_found_error(NetKind::kNetwork, network_id));
        }
    }
    auto updated = store_.update_router(id, *changes, gateway);
    if (!updated) {
        return fault(updated.error());
    }
    return respond(200, {{"router", *updated}});
}

http::HttpResponse NeutronService::router_interface(const http::HttpRequest& request,
                                                    const std::string& id,
                                                    const std::string& action,
                                                    const identity::Caller& caller) {
    const bool removal = action == "remove_router_interface";
    if (!removal && action != "add_router_interface") {
        return fault({404, "HTTPNotFound", "The resource could not be found."});
    }
    const drivers::NetworkCaller viewer{caller.project_id, is_admin(caller)};
    auto router = store_.get(NetKind::kRouter, id);
    if (!router || !visible_in(store_, viewer, NetKind::kRouter, *router)) {
        return fault(not_found_error(NetKind::kRouter, id));
    }
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded()) {
        return fault({400, "HTTPBadRequest", "Malformed request body"});
    }
    auto wanted = parse_interface_request(body, removal);
    if (!wanted) {
        return fault(wanted.error());
    }
    if (wanted->subnet_id) {
        auto subnet = store_.get(NetKind::kSubnet, *wanted->subnet_id);
        if (!subnet || !visible_in(store_, viewer, NetKind::kSubnet, *subnet)) {
            return fault(not_found_error(NetKind::kSubnet, *wanted->subnet_id));
        }
    }
    if (wanted->port_id && !removal) {
        auto port = store_.get(NetKind::kPort, *wanted->port_id);
        if (!port || !writable_by(viewer, *port)) {
            return fault(not_found_error(NetKind::kPort, *wanted->port_id));
        }
    }
    auto info = removal ? store_.remove_router_interface(id, *wanted)
                        : store_.add_router_interface(id, *wanted);
    if (!info) {
        return fault(info.error());
    }
    return respond(200, *info);
}

}  // namespace octane::networking
