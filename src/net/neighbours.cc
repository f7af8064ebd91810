#include "net/neighbours.h"

#include <cerrno>
#include <vector>

#include <netlink/errno.h>

#include "net/net_error.h"
#include "net/route_socket.h"

namespace octane::net {

Result<size_t> delete_neighbours(const std::string& ns, const std::string& ip) {
    const std::string action = "delete neighbour " + ip;
    auto address = parse_nl_address(ip);
    if (!address) {
        return make_error(action + " in " + describe_place(ns) + ": " + address.error().message,
                          EINVAL);
    }
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    nl_cache* raw = nullptr;
    if (const int err =
            socket->request([&](nl_sock* sk) { return rtnl_neigh_alloc_cache(sk, &raw); });
        err < 0) {
        return netlink_error(action + ": dump", ns, "", err);
    }
    CachePtr cache(raw);
    std::vector<NeighPtr> matching;
    for (nl_object* object = nl_cache_get_first(cache.get()); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* entry = reinterpret_cast<rtnl_neigh*>(object);
        nl_addr* dst = rtnl_neigh_get_dst(entry);
        if (dst != nullptr && nl_addr_cmp(dst, address->get()) == 0) {
            nl_object_get(object);
            matching.emplace_back(entry);
        }
    }
    size_t deleted = 0;
    for (const auto& entry : matching) {
        const int err =
            socket->request([&](nl_sock* sk) { return rtnl_neigh_delete(sk, entry.get(), 0); });
        if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NOADDR) {
            return netlink_error(action, ns, "", err);
        }
        deleted += err < 0 ? 0 : 1;
    }
    return deleted;
}

}  // namespace octane::net
