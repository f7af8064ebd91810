#pragma once

// IP addresses of a device (IPv4 or IPv6), as `ip addr add/del/show` would handle them.

#include <string>
#include <vector>

#include "common/result.h"

namespace octane::net {

// cidr "10.0.0.5/24"; already present is success.
Result<void> add_address(const std::string& ns, const std::string& dev, const std::string& cidr);
// Missing is success.
Result<void> delete_address(const std::string& ns, const std::string& dev, const std::string& cidr);
// Every address of dev as "address/prefixlen".
Result<std::vector<std::string>> list_addresses(const std::string& ns, const std::string& dev);

}  // namespace octane::net
