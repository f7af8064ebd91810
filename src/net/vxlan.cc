#include <cerrno>

#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/route/link/vxlan.h>

#include "net/links.h"
#include "net/net_error.h"
#include "net/route_socket.h"

namespace octane::net {
namespace {

// An existing device is accepted only when it is the same segment; it is brought up if down.
Result<void> adopt_existing_vxlan(const RouteSocket& socket, rtnl_link* link,
                                  const VxlanSpec& spec) {
    uint32_t vni = 0;
    const char* kind = rtnl_link_get_type(link);
    if (kind == nullptr || std::string(kind) != "vxlan" || rtnl_link_vxlan_get_id(link, &vni) < 0 ||
        vni != spec.vni) {
        return make_error("add vxlan: " + describe_place(socket.ns(), spec.name) +
                              " exists but is not vxlan id " + std::to_string(spec.vni),
                          EEXIST);
    }
    if ((rtnl_link_get_flags(link) & IFF_UP) != 0) {
        return {};
    }
    LinkPtr changes(rtnl_link_alloc());
    rtnl_link_set_flags(changes.get(), IFF_UP);
    if (const int err = socket.request(
            [&](nl_sock* sk) { return rtnl_link_change(sk, link, changes.get(), 0); });
        err < 0) {
        return netlink_error("set vxlan up", socket.ns(), spec.name, err);
    }
    return {};
}

Result<void> set_address(rtnl_link* link, const std::string& text, const std::string& what,
                         int (*setter)(rtnl_link*, nl_addr*)) {
    auto address = parse_nl_address(text);
    if (!address) {
        return make_error("add vxlan: " + what + ": " + address.error().message, EINVAL);
    }
    if (const int err = setter(link, address->get()); err < 0) {
        return make_error("add vxlan: " + what + " '" + text + "': " + nl_geterror(-err), EINVAL);
    }
    return {};
}

}  // namespace

Result<void> add_vxlan(const std::string& ns, const VxlanSpec& spec) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto existing = socket->find_link(spec.name);
    if (!existing) {
        return Unexpected(std::move(existing.error()));
    }
    if (*existing) {
        return adopt_existing_vxlan(*socket, existing->get(), spec);
    }
    LinkPtr link(rtnl_link_vxlan_alloc());
    if (!link) {
        return netlink_error("allocate vxlan", ns, spec.name, -NLE_NOMEM);
    }
    rtnl_link_set_name(link.get(), spec.name.c_str());
    if (const int err = rtnl_link_vxlan_set_id(link.get(), spec.vni); err < 0) {
        return netlink_error("vxlan id " + std::to_string(spec.vni), ns, spec.name, err);
    }
    if (!spec.group.empty()) {
        if (auto set = set_address(link.get(), spec.group, "group", rtnl_link_vxlan_set_group);
            !set) {
            return set;
        }
    }
    if (!spec.local_ip.empty()) {
        if (auto set = set_address(link.get(), spec.local_ip, "local", rtnl_link_vxlan_set_local);
            !set) {
            return set;
        }
    }
    if (!spec.parent.empty()) {
        auto parent = socket->require_link(spec.parent, "find parent of " + spec.name);
        if (!parent) {
            return Unexpected(std::move(parent.error()));
        }
        rtnl_link_vxlan_set_link(link.get(),
                                 static_cast<uint32_t>(rtnl_link_get_ifindex(parent->get())));
    }
    rtnl_link_vxlan_set_port(link.get(), spec.dst_port);
    if (spec.mtu > 0) {
        rtnl_link_set_mtu(link.get(), static_cast<unsigned>(spec.mtu));
    }
    rtnl_link_set_flags(link.get(), IFF_UP);
    if (const int err = socket->request(
            [&](nl_sock* sk) { return rtnl_link_add(sk, link.get(), NLM_F_CREATE | NLM_F_EXCL); });
        err < 0) {
        return netlink_error("add vxlan id " + std::to_string(spec.vni), ns, spec.name, err);
    }
    return {};
}

}  // namespace octane::net
