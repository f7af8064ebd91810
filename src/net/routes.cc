#include "net/routes.h"

#include <cerrno>

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/route/nexthop.h>

#include "net/net_error.h"
#include "net/route_socket.h"

namespace octane::net {
namespace {

int route_family(const Route& route) {
    for (const auto* text : {&route.destination, &route.gateway, &route.source}) {
        if (!text->empty() && *text != "default") {
            return text->find(':') == std::string::npos ? AF_INET : AF_INET6;
        }
    }
    return AF_INET;
}

enum class RouteUse { kAdd, kDelete };

// The route object both add and delete send. For delete, scope and protocol are left open so a
// route made by anyone (the kernel's own prefix routes too) matches.
Result<RoutePtr> route_request(const RouteSocket& socket, const Route& route, RouteUse use) {
    const std::string action =
        (use == RouteUse::kAdd ? "add route " : "delete route ") + route.destination;
    if (const std::string problem = route_problem(route); !problem.empty()) {
        return make_error(action + " in " + describe_place(socket.ns()) + ": " + problem, EINVAL);
    }
    const int family = route_family(route);
    const std::string destination = route.destination == "default"
                                        ? (family == AF_INET ? "0.0.0.0/0" : "::/0")
                                        : route.destination;
    auto dst = parse_nl_address(destination, family);
    if (!dst) {
        return make_error(action + ": " + dst.error().message, EINVAL);
    }
    RoutePtr request(rtnl_route_alloc());
    rtnl_route_set_family(request.get(), static_cast<uint8_t>(family));
    if (const int err = rtnl_route_set_dst(request.get(), dst->get()); err < 0) {
        return netlink_error(action, socket.ns(), route.device, err);
    }
    rtnl_route_set_table(request.get(), route.table);
    rtnl_route_set_priority(request.get(), route.metric);
    // libnl's default protocol is "static"; a delete asking for it would miss routes added
    // as "boot" (ours, as `ip route add`) or "kernel", so delete asks for any (0).
    rtnl_route_set_protocol(request.get(), use == RouteUse::kAdd ? RTPROT_BOOT : RTPROT_UNSPEC);
    if (!route.source.empty()) {
        auto source = parse_nl_address(route.source, family);
        if (!source) {
            return make_error(action + ": source: " + source.error().message, EINVAL);
        }
        rtnl_route_set_pref_src(request.get(), source->get());
    }
    if (route.unreachable) {
        rtnl_route_set_type(request.get(), RTN_UNREACHABLE);
        rtnl_route_set_scope(request.get(),
                             use == RouteUse::kAdd ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE);
        return request;
    }
    rtnl_route_set_type(request.get(), RTN_UNICAST);
    if (use == RouteUse::kAdd) {
        // A route with no gateway reaches its destination directly on the device.
        rtnl_route_set_scope(request.get(),
                             route.gateway.empty() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
    } else {
        rtnl_route_set_scope(request.get(), RT_SCOPE_NOWHERE);
    }
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    rtnl_route_add_nexthop(request.get(), hop);  // the route owns it from here
    if (!route.device.empty()) {
        auto link = socket.require_link(route.device, action);
        if (!link) {
            return Unexpected(std::move(link.error()));
        }
        rtnl_route_nh_set_ifindex(hop, rtnl_link_get_ifindex(link->get()));
    }
    if (!route.gateway.empty()) {
        auto gateway = parse_nl_address(route.gateway, family);
        if (!gateway) {
            return make_error(action + ": gateway: " + gateway.error().message, EINVAL);
        }
        rtnl_route_nh_set_gateway(hop, gateway->get());
    }
    if (route.onlink) {
        rtnl_route_nh_set_flags(hop, RTNH_F_ONLINK);
    }
    return request;
}

std::string destination_text(nl_addr* dst) {
    if (dst == nullptr || nl_addr_get_prefixlen(dst) == 0) {
        return "default";
    }
    return address_text(dst) + "/" + std::to_string(nl_addr_get_prefixlen(dst));
}

Route describe_route(rtnl_route* kernel_route, nl_cache* links) {
    Route route;
    route.destination = destination_text(rtnl_route_get_dst(kernel_route));
    route.unreachable = rtnl_route_get_type(kernel_route) == RTN_UNREACHABLE;
    route.metric = rtnl_route_get_priority(kernel_route);
    route.table = rtnl_route_get_table(kernel_route);
    if (nl_addr* source = rtnl_route_get_pref_src(kernel_route); source != nullptr) {
        route.source = address_text(source);
    }
    if (rtnl_route_get_nnexthops(kernel_route) > 0) {
        rtnl_nexthop* hop = rtnl_route_nexthop_n(kernel_route, 0);
        if (nl_addr* gateway = rtnl_route_nh_get_gateway(hop); gateway != nullptr) {
            route.gateway = address_text(gateway);
        }
        if (const int ifindex = rtnl_route_nh_get_ifindex(hop); ifindex > 0) {
            char name[IFNAMSIZ + 1] = {};
            if (rtnl_link_i2name(links, ifindex, name, sizeof name) != nullptr) {
                route.device = name;
            }
        }
        route.onlink = (rtnl_route_nh_get_flags(hop) & RTNH_F_ONLINK) != 0;
    }
    return route;
}

}  // namespace

Result<void> add_route(const std::string& ns, const Route& route) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto request = route_request(*socket, route, RouteUse::kAdd);
    if (!request) {
        return Unexpected(std::move(request.error()));
    }
    if (const int err = socket->request(
            [&](nl_sock* sk) { return rtnl_route_add(sk, request->get(), NLM_F_REPLACE); });
        err < 0) {
        return netlink_error("add route " + route.destination, ns, route.device, err);
    }
    return {};
}

Result<void> delete_route(const std::string& ns, const Route& route) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    if (!route.device.empty()) {
        auto link = socket->find_link(route.device);
        if (link && !*link) {
            return {};  // the kernel removed the route with its device
        }
    }
    auto request = route_request(*socket, route, RouteUse::kDelete);
    if (!request) {
        return Unexpected(std::move(request.error()));
    }
    const int err =
        socket->request([&](nl_sock* sk) { return rtnl_route_delete(sk, request->get(), 0); });
    if (err < 0 && err != -NLE_OBJ_NOTFOUND) {
        return netlink_error("delete route " + route.destination, ns, route.device, err);
    }
    return {};
}

Result<std::vector<Route>> list_routes(const std::string& ns, uint32_t table) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto links = socket->link_cache();
    if (!links) {
        return Unexpected(std::move(links.error()));
    }
    nl_cache* cache = nullptr;
    if (const int err = socket->request(
            [&](nl_sock* sk) { return rtnl_route_alloc_cache(sk, AF_UNSPEC, 0, &cache); });
        err < 0) {
        return netlink_error("list routes", ns, "", err);
    }
    CachePtr owned(cache);
    std::vector<Route> routes;
    for (nl_object* object = nl_cache_get_first(cache); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* kernel_route = reinterpret_cast<rtnl_route*>(object);
        if (rtnl_route_get_table(kernel_route) == table) {
            routes.push_back(describe_route(kernel_route, links->get()));
        }
    }
    return routes;
}

}  // namespace octane::net
