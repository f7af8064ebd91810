#pragma once

// Gratuitous ARP: tells a segment's hosts and bridges where an IPv4 address now lives, as the L3
// agent does after adding a router or floating IP and keepalived after a VIP moves.

#include <string>

#include "common/result.h"

namespace octane::net {

// One gratuitous ARP (request form, sender = target = ipv4, broadcast) out of dev, from dev's MAC.
Result<void> send_gratuitous_arp(const std::string& ns, const std::string& dev,
                                 const std::string& ipv4);

}  // namespace octane::net
