#include <cerrno>

#include <fcntl.h>
#include <netlink/errno.h>
#include <netlink/route/link/veth.h>

#include "net/links.h"
#include "net/net_error.h"
#include "net/netns_path.h"
#include "net/route_socket.h"
#include "net/unique_fd.h"

namespace octane::net {
namespace {

struct VethEnd {
    const std::string& ns;
    const std::string& name;
};

// The pair is already there when a is a veth whose peer is b (IFLA_LINK of a veth is its peer's
// ifindex, also across namespaces); b then gets the asked MAC and both ends the asked MTU.
Result<void> adopt_existing_veth(const RouteSocket& socket_a, rtnl_link* a, VethEnd end_b,
                                 nl_addr* mac_b, int mtu) {
    const std::string expected = "veth peer of " + end_b.name + " in " + describe_place(end_b.ns);
    const char* kind = rtnl_link_get_type(a);
    if (kind == nullptr || std::string(kind) != "veth") {
        return make_error("add veth: " + describe_place(socket_a.ns(), rtnl_link_get_name(a)) +
                              " exists but is not a " + expected,
                          EEXIST);
    }
    auto socket_b = RouteSocket::open(end_b.ns);
    if (!socket_b) {
        return Unexpected(std::move(socket_b.error()));
    }
    auto b = socket_b->find_link(end_b.name);
    if (!b) {
        return Unexpected(std::move(b.error()));
    }
    if (!*b || rtnl_link_get_link(a) != rtnl_link_get_ifindex(b->get())) {
        return make_error("add veth: " + describe_place(socket_a.ns(), rtnl_link_get_name(a)) +
                              " exists but is not the " + expected,
                          EEXIST);
    }
    const auto needs_mtu = [mtu](rtnl_link* link) {
        return mtu > 0 && rtnl_link_get_mtu(link) != static_cast<unsigned>(mtu);
    };
    const bool needs_mac =
        mac_b != nullptr && nl_addr_cmp(rtnl_link_get_addr(b->get()), mac_b) != 0;
    if (needs_mac || needs_mtu(b->get())) {
        LinkPtr changes(rtnl_link_alloc());
        if (needs_mac) {
            rtnl_link_set_addr(changes.get(), mac_b);
        }
        if (needs_mtu(b->get())) {
            rtnl_link_set_mtu(changes.get(), static_cast<unsigned>(mtu));
        }
        if (const int err = socket_b->request(
                [&](nl_sock* sk) { return rtnl_link_change(sk, b->get(), changes.get(), 0); });
            err < 0) {
            return netlink_error("update veth end", end_b.ns, end_b.name, err);
        }
    }
    if (needs_mtu(a)) {
        LinkPtr changes(rtnl_link_alloc());
        rtnl_link_set_mtu(changes.get(), static_cast<unsigned>(mtu));
        if (const int err = socket_a.request(
                [&](nl_sock* sk) { return rtnl_link_change(sk, a, changes.get(), 0); });
            err < 0) {
            return netlink_error("update veth end", socket_a.ns(), rtnl_link_get_name(a), err);
        }
    }
    return {};
}

}  // namespace

Result<void> add_veth(const std::string& ns_a, const std::string& name_a, const std::string& ns_b,
                      const std::string& name_b, const std::string& mac_b, int mtu) {
    NlAddrPtr mac;
    if (!mac_b.empty()) {
        auto parsed = parse_nl_address(mac_b, AF_LLC);
        if (!parsed) {
            return make_error("add veth " + name_a + ": " + parsed.error().message, EINVAL);
        }
        mac = std::move(*parsed);
    }
    auto socket = RouteSocket::open(ns_a);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto existing = socket->find_link(name_a);
    if (!existing) {
        return Unexpected(std::move(existing.error()));
    }
    if (*existing) {
        return adopt_existing_veth(*socket, existing->get(), VethEnd{ns_b, name_b}, mac.get(), mtu);
    }

    // The peer is born in its namespace (IFLA_NET_NS_FD inside the peer's attributes): no window
    // in which name_b exists in ns_a and could clash with a device there.
    UniqueFd peer_ns;
    if (ns_b != ns_a) {
        const std::string path = ns_b.empty() ? "/proc/thread-self/ns/net" : netns_path(ns_b);
        peer_ns.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!peer_ns.valid()) {
            return system_error("open " + path, ns_b, name_b, errno);
        }
    }
    LinkPtr veth(rtnl_link_veth_alloc());
    if (!veth) {
        return netlink_error("allocate veth", ns_a, name_a, -NLE_NOMEM);
    }
    LinkPtr peer(rtnl_link_veth_get_peer(veth.get()));
    rtnl_link_set_name(veth.get(), name_a.c_str());
    rtnl_link_set_name(peer.get(), name_b.c_str());
    if (mac) {
        rtnl_link_set_addr(peer.get(), mac.get());
    }
    if (mtu > 0) {
        rtnl_link_set_mtu(veth.get(), static_cast<unsigned>(mtu));
        rtnl_link_set_mtu(peer.get(), static_cast<unsigned>(mtu));
    }
    if (peer_ns.valid()) {
        rtnl_link_set_ns_fd(peer.get(), peer_ns.get());
    }
    if (const int err = socket->request(
            [&](nl_sock* sk) { return rtnl_link_add(sk, veth.get(), NLM_F_CREATE | NLM_F_EXCL); });
        err < 0) {
        return netlink_error("add veth to " + name_b + " in " + describe_place(ns_b), ns_a, name_a,
                             err);
    }
    return {};
}

}  // namespace octane::net
