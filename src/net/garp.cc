#include "net/garp.h"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "net/arp_frame.h"
#include "net/net_error.h"
#include "net/netns.h"
#include "net/unique_fd.h"

namespace octane::net {

Result<void> send_gratuitous_arp(const std::string& ns, const std::string& dev,
                                 const std::string& ipv4) {
    const std::string action = "send gratuitous ARP for " + ipv4;
    if (dev.empty() || dev.size() >= IFNAMSIZ) {
        return make_error(action + ": invalid device name '" + dev + "'", EINVAL);
    }
    return in_netns(ns, [&]() -> Result<void> {
        // Protocol 0: a send-only socket, nothing is queued to it.
        UniqueFd sock(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
        if (!sock.valid()) {
            return system_error(action + ": socket(AF_PACKET)", ns, dev, errno);
        }
        ifreq request{};
        std::memcpy(request.ifr_name, dev.c_str(), dev.size());
        if (::ioctl(sock.get(), SIOCGIFINDEX, &request) != 0) {
            return system_error(action + ": find device", ns, dev, errno);
        }
        const int ifindex = request.ifr_ifindex;
        if (::ioctl(sock.get(), SIOCGIFHWADDR, &request) != 0) {
            return system_error(action + ": read MAC", ns, dev, errno);
        }
        MacAddress mac{};
        std::memcpy(mac.data(), request.ifr_hwaddr.sa_data, mac.size());
        auto frame = gratuitous_arp_frame(mac, ipv4);
        if (!frame) {
            return make_error(action + " in " + describe_place(ns, dev) + ": not an IPv4 address",
                              EINVAL);
        }
        sockaddr_ll to{};
        to.sll_family = AF_PACKET;
        to.sll_protocol = htons(ETH_P_ARP);
        to.sll_ifindex = ifindex;
        to.sll_halen = ETH_ALEN;
        std::memset(to.sll_addr, 0xff, ETH_ALEN);
        const ssize_t sent = ::sendto(sock.get(), frame->data(), frame->size(), 0,
                                      reinterpret_cast<const sockaddr*>(&to), sizeof to);
        if (sent < 0) {
            return system_error(action, ns, dev, errno);
        }
        if (static_cast<size_t>(sent) != frame->size()) {
            return make_error(action + " in " + describe_place(ns, dev) + ": short send");
        }
        return {};
    });
}

}  // namespace octane::net
