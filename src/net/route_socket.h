#pragma once

// A NETLINK_ROUTE socket bound to one namespace, and owning pointers for libnl objects.
// A netlink socket talks to the namespace it was created in for its whole life, so it is opened
// inside in_netns and then used from wherever the caller runs.

#include <memory>
#include <string>

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>

#include "common/result.h"
#include "net/counters.h"

namespace octane::net {

template <auto Free>
struct LibnlFree {
    template <typename T>
    void operator()(T* object) const {
        Free(object);
    }
};

using LinkPtr = std::unique_ptr<rtnl_link, LibnlFree<rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, LibnlFree<rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, LibnlFree<rtnl_route_put>>;
using RulePtr = std::unique_ptr<rtnl_rule, LibnlFree<rtnl_rule_put>>;
using NeighPtr = std::unique_ptr<rtnl_neigh, LibnlFree<rtnl_neigh_put>>;
using NlAddrPtr = std::unique_ptr<nl_addr, LibnlFree<nl_addr_put>>;
using CachePtr = std::unique_ptr<nl_cache, LibnlFree<nl_cache_free>>;
using MsgPtr = std::unique_ptr<nl_msg, LibnlFree<nlmsg_free>>;

class RouteSocket {
  public:
    // Opens and connects a socket inside ns ("" = the caller's namespace).
    static Result<RouteSocket> open(const std::string& ns);

    RouteSocket(RouteSocket&&) noexcept = default;
    RouteSocket& operator=(RouteSocket&&) noexcept = default;

    nl_sock* get() const { return socket_.get(); }
    const std::string& ns() const { return ns_; }

    // Every request this library sends goes through here, so the counters stay exact.
    // Returns the libnl result of send(); count is the number of requests send() issues.
    template <typename Send>
    int request(Send&& send, uint64_t count = 1) const;

    // The current links of the namespace (one dump request).
    Result<CachePtr> link_cache() const;
    // The link called name, or nullptr when there is none (one request).
    Result<LinkPtr> find_link(const std::string& name) const;
    // As find_link, but a missing link is an error naming action.
    Result<LinkPtr> require_link(const std::string& name, const std::string& action) const;

  private:
    using SocketPtr = std::unique_ptr<nl_sock, LibnlFree<nl_socket_free>>;
    RouteSocket(SocketPtr socket, std::string ns)
        : socket_(std::move(socket)), ns_(std::move(ns)) {}

    SocketPtr socket_;
    std::string ns_;
};

template <typename Send>
int RouteSocket::request(Send&& send, uint64_t count) const {
    count_netlink_requests(count);
    return send(socket_.get());
}

// The bare address, without prefix ("10.0.0.5", "fe80::1").
std::string address_text(nl_addr* address);

// Parses "10.0.0.5/24", "fe80::1", "default" (family from the text; "default" needs family).
Result<NlAddrPtr> parse_nl_address(const std::string& text, int family = AF_UNSPEC);

}  // namespace octane::net
