#include "net/fdb.h"

#include <cerrno>

#include <linux/neighbour.h>
#include <netlink/errno.h>

#include "net/net_error.h"
#include "net/route_socket.h"

namespace octane::net {

Result<void> fdb_append(const std::string& ns, const std::string& vxlan_dev, const std::string& mac,
                        const std::string& dst_ip) {
    const std::string action = "append fdb " + mac + " dst " + dst_ip;
    auto lladdr = parse_nl_address(mac, AF_LLC);
    auto dst = parse_nl_address(dst_ip);
    if (!lladdr || !dst) {
        return make_error(action + " in " + describe_place(ns, vxlan_dev) + ": " +
                              (!lladdr ? lladdr.error().message : dst.error().message),
                          EINVAL);
    }
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto link = socket->require_link(vxlan_dev, action);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    NeighPtr entry(rtnl_neigh_alloc());
    // The remote VTEP first: libnl takes the entry's family from it and refuses a dst of
    // another family once one is set; the entry itself is then switched to AF_BRIDGE.
    if (const int err = rtnl_neigh_set_dst(entry.get(), dst->get()); err < 0) {
        return netlink_error(action, ns, vxlan_dev, err);
    }
    rtnl_neigh_set_family(entry.get(), AF_BRIDGE);
    rtnl_neigh_set_ifindex(entry.get(), rtnl_link_get_ifindex(link->get()));
    rtnl_neigh_set_lladdr(entry.get(), lladdr->get());
    rtnl_neigh_set_state(entry.get(), NUD_PERMANENT);
    rtnl_neigh_set_flags(entry.get(), NTF_SELF);
    const int err = socket->request(
        [&](nl_sock* sk) { return rtnl_neigh_add(sk, entry.get(), NLM_F_CREATE | NLM_F_APPEND); });
    if (err < 0 && err != -NLE_EXIST) {
        return netlink_error(action, ns, vxlan_dev, err);
    }
    return {};
}

}  // namespace octane::net
