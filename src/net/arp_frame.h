#pragma once

// Ethernet frames carrying ARP for IPv4: building the gratuitous ARP that announces an address
// after it moved (a VIP or floating IP), and reading ARP frames back. Pure, no I/O.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace octane::net {

using MacAddress = std::array<uint8_t, 6>;

// "aa:bb:cc:dd:ee:ff" (case-insensitive); nullopt when malformed.
std::optional<MacAddress> parse_mac(const std::string& text);
std::string format_mac(const MacAddress& mac);

struct ArpPacket {
    uint16_t operation = 0;  // 1 request, 2 reply
    MacAddress sender_mac{};
    std::string sender_ip;
    MacAddress target_mac{};
    std::string target_ip;
    MacAddress ethernet_destination{};
    MacAddress ethernet_source{};
};

constexpr size_t kArpFrameSize = 42;  // Ethernet header 14 + ARP for IPv4 over Ethernet 28

// The request form (as `arping -U`): broadcast, sender = target = ipv4, target MAC zero.
// nullopt when ipv4 is not a dotted IPv4 address.
std::optional<std::vector<uint8_t>> gratuitous_arp_frame(const MacAddress& mac,
                                                         const std::string& ipv4);

// nullopt unless frame is an Ethernet ARP frame for IPv4 over Ethernet.
std::optional<ArpPacket> parse_arp_frame(std::span<const uint8_t> frame);

}  // namespace octane::net
