#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>

#include "net/links.h"
#include "net/net_error.h"
#include "net/route_socket.h"

namespace octane::net {
namespace {

// libnl 3.7 has no setters for the bridge's own attributes (IFLA_BR_*), so the request is built
// with libnl's message API. Sent without NLM_F_EXCL, the same request creates the bridge or, if it
// exists, changes it to these settings: one round trip either way, and never a window with a
// bridge that forwards only after 15 s (the kernel's default forward delay).
Result<MsgPtr> bridge_request(const std::string& name, int mtu) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE));
    if (!msg) {
        return make_error("out of memory building bridge request for " + name);
    }
    ifinfomsg header{};
    header.ifi_family = AF_UNSPEC;
    header.ifi_flags = IFF_UP;
    header.ifi_change = IFF_UP;
    if (nlmsg_append(msg.get(), &header, sizeof header, NLMSG_ALIGNTO) < 0 ||
        nla_put_string(msg.get(), IFLA_IFNAME, name.c_str()) < 0 ||
        (mtu > 0 && nla_put_u32(msg.get(), IFLA_MTU, static_cast<uint32_t>(mtu)) < 0)) {
        return make_error("bridge request for " + name + " too large");
    }
    nlattr* link_info = nla_nest_start(msg.get(), IFLA_LINKINFO);
    if (link_info == nullptr || nla_put_string(msg.get(), IFLA_INFO_KIND, "bridge") < 0) {
        return make_error("bridge request for " + name + " too large");
    }
    nlattr* data = nla_nest_start(msg.get(), IFLA_INFO_DATA);
    if (data == nullptr || nla_put_u32(msg.get(), IFLA_BR_FORWARD_DELAY, 0) < 0 ||
        nla_put_u32(msg.get(), IFLA_BR_STP_STATE, 0) < 0) {
        return make_error("bridge request for " + name + " too large");
    }
    nla_nest_end(msg.get(), data);
    nla_nest_end(msg.get(), link_info);
    return msg;
}

}  // namespace

Result<void> add_bridge(const std::string& ns, const std::string& name, int mtu) {
    auto msg = bridge_request(name, mtu);
    if (!msg) {
        return Unexpected(std::move(msg.error()));
    }
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    if (const int err = socket->request([&](nl_sock* sk) {
            const int sent = nl_send_auto(sk, msg->get());
            return sent < 0 ? sent : nl_wait_for_ack(sk);
        });
        err < 0) {
        return netlink_error("add bridge", ns, name, err);
    }
    return {};
}

}  // namespace octane::net
