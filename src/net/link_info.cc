#include "net/link_info.h"

#include <linux/if.h>
#include <netlink/addr.h>

namespace octane::net {

LinkInfo describe_link(rtnl_link* link, const std::string& master_name) {
    LinkInfo info;
    info.name = rtnl_link_get_name(link) ? rtnl_link_get_name(link) : "";
    info.ifindex = rtnl_link_get_ifindex(link);
    info.kind = rtnl_link_get_type(link) ? rtnl_link_get_type(link) : "";
    info.master = master_name;
    if (nl_addr* mac = rtnl_link_get_addr(link); mac != nullptr) {
        char text[64] = {};
        info.mac = nl_addr2str(mac, text, sizeof text);
    }
    info.up = (rtnl_link_get_flags(link) & IFF_UP) != 0;
    const uint8_t operstate = rtnl_link_get_operstate(link);
    info.operational = info.up && (operstate == IF_OPER_UP || operstate == IF_OPER_UNKNOWN);
    info.mtu = static_cast<int>(rtnl_link_get_mtu(link));
    return info;
}

}  // namespace octane::net
