#include "net/addresses.h"

#include <cerrno>

#include <netlink/errno.h>

#include "net/net_error.h"
#include "net/route_socket.h"

namespace octane::net {
namespace {

// "a/p" always with the prefix, also for /32 and /128 (libnl's text omits a full-length prefix).
std::string address_with_prefix(nl_addr* address) {
    return address_text(address) + "/" + std::to_string(nl_addr_get_prefixlen(address));
}

// An address object for dev with local = cidr: what both add and delete send.
Result<AddrPtr> address_request(const RouteSocket& socket, const std::string& dev,
                                const std::string& cidr, const std::string& action) {
    auto local = parse_nl_address(cidr);
    if (!local) {
        return make_error(
            action + " in " + describe_place(socket.ns(), dev) + ": " + local.error().message,
            EINVAL);
    }
    auto link = socket.require_link(dev, action);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    AddrPtr address(rtnl_addr_alloc());
    rtnl_addr_set_ifindex(address.get(), rtnl_link_get_ifindex(link->get()));
    rtnl_addr_set_family(address.get(), nl_addr_get_family(local->get()));
    if (const int err = rtnl_addr_set_local(address.get(), local->get()); err < 0) {
        return netlink_error(action, socket.ns(), dev, err);
    }
    return address;
}

}  // namespace

Result<void> add_address(const std::string& ns, const std::string& dev, const std::string& cidr) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const std::string action = "add address " + cidr;
    auto address = address_request(*socket, dev, cidr, action);
    if (!address) {
        return Unexpected(std::move(address.error()));
    }
    const int err =
        socket->request([&](nl_sock* sk) { return rtnl_addr_add(sk, address->get(), NLM_F_EXCL); });
    if (err < 0 && err != -NLE_EXIST) {
        return netlink_error(action, ns, dev, err);
    }
    return {};
}

Result<void> delete_address(const std::string& ns, const std::string& dev,
                            const std::string& cidr) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const std::string action = "delete address " + cidr;
    auto link = socket->find_link(dev);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    if (!*link) {
        return {};  // gone with its device
    }
    auto address = address_request(*socket, dev, cidr, action);
    if (!address) {
        return Unexpected(std::move(address.error()));
    }
    const int err =
        socket->request([&](nl_sock* sk) { return rtnl_addr_delete(sk, address->get(), 0); });
    if (err < 0 && err != -NLE_NOADDR && err != -NLE_OBJ_NOTFOUND) {
        return netlink_error(action, ns, dev, err);
    }
    return {};
}

Result<std::vector<std::string>> list_addresses(const std::string& ns, const std::string& dev) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto link = socket->require_link(dev, "list addresses");
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    const int ifindex = rtnl_link_get_ifindex(link->get());
    nl_cache* cache = nullptr;
    if (const int err =
            socket->request([&](nl_sock* sk) { return rtnl_addr_alloc_cache(sk, &cache); });
        err < 0) {
        return netlink_error("list addresses", ns, dev, err);
    }
    CachePtr owned(cache);
    std::vector<std::string> addresses;
    for (nl_object* object = nl_cache_get_first(cache); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* address = reinterpret_cast<rtnl_addr*>(object);
        if (rtnl_addr_get_ifindex(address) == ifindex && rtnl_addr_get_local(address) != nullptr) {
            addresses.push_back(address_with_prefix(rtnl_addr_get_local(address)));
        }
    }
    return addresses;
}

}  // namespace octane::net
