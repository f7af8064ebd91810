#include "net/links.h"

#include <cerrno>
#include <thread>

#include <net/if.h>
#include <netlink/errno.h>

#include "net/link_info.h"
#include "net/net_error.h"
#include "net/route_socket.h"

namespace octane::net {
namespace {

// Applies changes to the link called dev: one request.
Result<void> change_link(const RouteSocket& socket, rtnl_link* current, rtnl_link* changes,
                         const std::string& action) {
    if (const int err =
            socket.request([&](nl_sock* sk) { return rtnl_link_change(sk, current, changes, 0); });
        err < 0) {
        return netlink_error(action, socket.ns(), rtnl_link_get_name(current), err);
    }
    return {};
}

LinkPtr new_changes() {
    return LinkPtr(rtnl_link_alloc());
}

}  // namespace

Result<std::vector<LinkInfo>> list_links(const std::string& ns) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto cache = socket->link_cache();
    if (!cache) {
        return Unexpected(std::move(cache.error()));
    }
    std::vector<LinkInfo> links;
    for (nl_object* object = nl_cache_get_first(cache->get()); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* link = reinterpret_cast<rtnl_link*>(object);
        std::string master;
        if (const int index = rtnl_link_get_master(link); index > 0) {
            char name[IFNAMSIZ + 1] = {};
            if (rtnl_link_i2name(cache->get(), index, name, sizeof name) != nullptr) {
                master = name;
            }
        }
        links.push_back(describe_link(link, master));
    }
    return links;
}

Result<std::optional<LinkInfo>> find_link(const std::string& ns, const std::string& name) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto link = socket->find_link(name);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    if (!*link) {
        return std::optional<LinkInfo>();
    }
    std::string master;
    if (const int index = rtnl_link_get_master(link->get()); index > 0) {
        rtnl_link* master_link = nullptr;
        if (const int err = socket->request([&](nl_sock* sk) {
                return rtnl_link_get_kernel(sk, index, nullptr, &master_link);
            });
            err < 0) {
            return netlink_error("look up master of link", ns, name, err);
        }
        master = rtnl_link_get_name(master_link);
        rtnl_link_put(master_link);
    }
    return std::optional<LinkInfo>(describe_link(link->get(), master));
}

Result<void> set_master(const std::string& ns, const std::string& dev, const std::string& bridge) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const std::string action = bridge.empty() ? "release from bridge" : "enslave to " + bridge;
    auto link = socket->require_link(dev, action);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    int master = 0;
    if (!bridge.empty()) {
        auto bridge_link = socket->require_link(bridge, "find bridge for " + dev);
        if (!bridge_link) {
            return Unexpected(std::move(bridge_link.error()));
        }
        master = rtnl_link_get_ifindex(bridge_link->get());
    }
    if (rtnl_link_get_master(link->get()) == master) {
        return {};
    }
    auto changes = new_changes();
    rtnl_link_set_master(changes.get(), master);
    return change_link(*socket, link->get(), changes.get(), action);
}

Result<void> set_up(const std::string& ns, const std::string& dev, bool up) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const std::string action = up ? "set link up" : "set link down";
    auto link = socket->require_link(dev, action);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    const bool is_up = (rtnl_link_get_flags(link->get()) & IFF_UP) != 0;
    if (is_up == up) {
        return {};
    }
    auto changes = new_changes();
    if (up) {
        rtnl_link_set_flags(changes.get(), IFF_UP);
    } else {
        rtnl_link_unset_flags(changes.get(), IFF_UP);
    }
    return change_link(*socket, link->get(), changes.get(), action);
}

Result<void> wait_until_operational(const std::string& ns, const std::string& dev,
                                    std::chrono::milliseconds limit) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        auto link = socket->require_link(dev, "wait until operational");
        if (!link) {
            return Unexpected(std::move(link.error()));
        }
        if (describe_link(link->get(), "").operational) {
            return {};
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return system_error("wait " + std::to_string(limit.count()) + " ms until operational",
                                ns, dev, ETIMEDOUT);
        }
        // The link watcher runs from a work queue within a jiffy or a second; polling is
        // cheaper than a notification socket for a wait this short and rare.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

Result<void> set_mtu(const std::string& ns, const std::string& dev, int mtu) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const std::string action = "set mtu " + std::to_string(mtu);
    if (mtu <= 0) {
        return netlink_error(action, ns, dev, -NLE_INVAL);
    }
    auto link = socket->require_link(dev, action);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    if (rtnl_link_get_mtu(link->get()) == static_cast<unsigned>(mtu)) {
        return {};
    }
    auto changes = new_changes();
    rtnl_link_set_mtu(changes.get(), static_cast<unsigned>(mtu));
    return change_link(*socket, link->get(), changes.get(), action);
}

Result<void> rename_link(const std::string& ns, const std::string& from, const std::string& to) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const std::string action = "rename to " + to;
    auto link = socket->find_link(from);
    if (!link) {
        return Unexpected(std::move(link.error()));
    }
    if (!*link) {
        auto renamed = socket->find_link(to);
        if (renamed && *renamed) {
            return {};
        }
        return renamed ? netlink_error(action, ns, from, -NLE_NODEV)
                       : Result<void>(Unexpected(std::move(renamed.error())));
    }
    auto changes = new_changes();
    rtnl_link_set_name(changes.get(), to.c_str());
    return change_link(*socket, link->get(), changes.get(), action);
}

Result<void> delete_link(const std::string& ns, const std::string& name) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    auto link = new_changes();
    rtnl_link_set_name(link.get(), name.c_str());
    const int err = socket->request([&](nl_sock* sk) { return rtnl_link_delete(sk, link.get()); });
    if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND) {
        return netlink_error("delete link", ns, name, err);
    }
    return {};
}

}  // namespace octane::net
