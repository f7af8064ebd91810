#include "net/arp_frame.h"

#include <cstdio>
#include <cstring>

#include <arpa/inet.h>

#include "common/strings.h"

namespace octane::net {
namespace {

constexpr uint16_t kEtherTypeArp = 0x0806;
constexpr uint16_t kHardwareEthernet = 1;
constexpr uint16_t kProtocolIpv4 = 0x0800;
constexpr uint16_t kArpRequest = 1;

void put16(std::vector<uint8_t>& frame, uint16_t value) {
    frame.push_back(static_cast<uint8_t>(value >> 8));
    frame.push_back(static_cast<uint8_t>(value & 0xff));
}

uint16_t get16(std::span<const uint8_t> frame, size_t at) {
    return static_cast<uint16_t>((frame[at] << 8) | frame[at + 1]);
}

template <size_t N>
void put_bytes(std::vector<uint8_t>& frame, const std::array<uint8_t, N>& bytes) {
    frame.insert(frame.end(), bytes.begin(), bytes.end());
}

MacAddress get_mac(std::span<const uint8_t> frame, size_t at) {
    MacAddress mac{};
    std::memcpy(mac.data(), frame.data() + at, mac.size());
    return mac;
}

std::string get_ipv4(std::span<const uint8_t> frame, size_t at) {
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, frame.data() + at, text, sizeof text);
    return text;
}

}  // namespace

std::optional<MacAddress> parse_mac(const std::string& text) {
    if (text.size() != 17) {
        return std::nullopt;
    }
    MacAddress mac{};
    for (size_t i = 0; i < mac.size(); ++i) {
        const int high = hex_value(text[i * 3]);
        const int low = hex_value(text[i * 3 + 1]);
        if (high < 0 || low < 0 || (i + 1 < mac.size() && text[i * 3 + 2] != ':')) {
            return std::nullopt;
        }
        mac[i] = static_cast<uint8_t>(high * 16 + low);
    }
    return mac;
}

std::string format_mac(const MacAddress& mac) {
    char text[18] = {};
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
                  mac[3], mac[4], mac[5]);
    return text;
}

std::optional<std::vector<uint8_t>> gratuitous_arp_frame(const MacAddress& mac,
                                                         const std::string& ipv4) {
    std::array<uint8_t, 4> ip{};
    if (::inet_pton(AF_INET, ipv4.c_str(), ip.data()) != 1) {
        return std::nullopt;
    }
    const MacAddress broadcast = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const MacAddress unknown = {};
    std::vector<uint8_t> frame;
    frame.reserve(kArpFrameSize);
    put_bytes(frame, broadcast);
    put_bytes(frame, mac);
    put16(frame, kEtherTypeArp);
    put16(frame, kHardwareEthernet);
    put16(frame, kProtocolIpv4);
    frame.push_back(6);  // hardware address length
    frame.push_back(4);  // protocol address length
    put16(frame, kArpRequest);
    put_bytes(frame, mac);
    put_bytes(frame, ip);
    put_bytes(frame, unknown);
    put_bytes(frame, ip);
    return frame;
}

std::optional<ArpPacket> parse_arp_frame(std::span<const uint8_t> frame) {
    if (frame.size() < kArpFrameSize || get16(frame, 12) != kEtherTypeArp ||
        get16(frame, 14) != kHardwareEthernet || get16(frame, 16) != kProtocolIpv4 ||
        frame[18] != 6 || frame[19] != 4) {
        return std::nullopt;
    }
    ArpPacket packet;
    packet.ethernet_destination = get_mac(frame, 0);
    packet.ethernet_source = get_mac(frame, 6);
    packet.operation = get16(frame, 20);
    packet.sender_mac = get_mac(frame, 22);
    packet.sender_ip = get_ipv4(frame, 28);
    packet.target_mac = get_mac(frame, 32);
    packet.target_ip = get_ipv4(frame, 38);
    return packet;
}

}  // namespace octane::net
