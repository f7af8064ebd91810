#pragma once

// IPv4/IPv6 neighbour (ARP/NDP) entries of a namespace. A router that still maps an address to
// the MAC of a port that is gone sends every packet for that address into the void until the
// entry ages out (up to a minute); when the address comes back on a new port (a VIP re-used by
// the next load balancer) the first packets are lost. Forgetting the entry when the port goes
// makes the router ask again, and the new owner's gratuitous ARP answers at once.

#include <cstddef>
#include <string>

#include "common/result.h"

namespace octane::net {

// Deletes the neighbour entries for ip on every device of ns; returns how many. None is success.
Result<size_t> delete_neighbours(const std::string& ns, const std::string& ip);

}  // namespace octane::net
