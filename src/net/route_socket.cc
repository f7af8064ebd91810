#include "net/route_socket.h"

#include <cerrno>

#include <arpa/inet.h>
#include <netlink/errno.h>

#include "net/net_error.h"
#include "net/netns.h"

namespace octane::net {

Result<RouteSocket> RouteSocket::open(const std::string& ns) {
    SocketPtr socket;
    auto opened = in_netns(ns, [&]() -> Result<void> {
        socket.reset(nl_socket_alloc());
        if (!socket) {
            return system_error("allocate netlink socket", ns, "", ENOMEM);
        }
        if (const int err = nl_connect(socket.get(), NETLINK_ROUTE); err < 0) {
            return netlink_error("connect netlink socket", ns, "", err);
        }
        return {};
    });
    if (!opened) {
        return Unexpected(std::move(opened.error()));
    }
    return RouteSocket(std::move(socket), ns);
}

Result<CachePtr> RouteSocket::link_cache() const {
    nl_cache* cache = nullptr;
    if (const int err =
            request([&](nl_sock* sk) { return rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache); });
        err < 0) {
        return netlink_error("list links", ns_, "", err);
    }
    return CachePtr(cache);
}

Result<LinkPtr> RouteSocket::find_link(const std::string& name) const {
    rtnl_link* link = nullptr;
    const int err =
        request([&](nl_sock* sk) { return rtnl_link_get_kernel(sk, 0, name.c_str(), &link); });
    if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND) {
        return LinkPtr();
    }
    if (err < 0) {
        return netlink_error("look up link", ns_, name, err);
    }
    return LinkPtr(link);
}

Result<LinkPtr> RouteSocket::require_link(const std::string& name,
                                          const std::string& action) const {
    auto link = find_link(name);
    if (link && !*link) {
        return netlink_error(action, ns_, name, -NLE_NODEV);
    }
    return link;
}

std::string address_text(nl_addr* address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(nl_addr_get_family(address), nl_addr_get_binary_addr(address), text,
                    sizeof text) == nullptr) {
        return "";
    }
    return text;
}

Result<NlAddrPtr> parse_nl_address(const std::string& text, int family) {
    nl_addr* address = nullptr;
    if (const int err = nl_addr_parse(text.c_str(), family, &address); err < 0) {
        return make_error("invalid address '" + text + "': " + nl_geterror(-err), EINVAL);
    }
    return NlAddrPtr(address);
}

}  // namespace octane::net
