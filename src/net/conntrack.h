#pragma once

// Connection tracking state of a namespace, through libnetfilter_conntrack. NAT in netfilter is
// decided on a connection's first packet only: an entry created before a floating IP's DNAT rule
// existed (a SYN that arrived while the address was being realised) keeps the packets of that
// connection un-translated until it times out. Neutron's L3 agent deletes such state whenever a
// floating IP changes; so does the linuxbridge driver.

#include <cstddef>
#include <string>

#include "common/result.h"

namespace octane::net {

// Deletes the IPv4 conntrack entries of ns whose original direction has ipv4 as source or
// destination; returns how many were deleted. An entry that vanished meanwhile is not an error.
Result<size_t> delete_conntrack_entries(const std::string& ns, const std::string& ipv4);

}  // namespace octane::net
