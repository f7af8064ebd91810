#pragma once

// Forwarding entries of a VXLAN device: which remote VTEP a MAC (or, with the all-zero MAC,
// flooded traffic) is sent to, as the linuxbridge agent's l2population programs them.

#include <string>

#include "common/result.h"

namespace octane::net {

// `bridge fdb append <mac> dev <vxlan_dev> dst <dst_ip>` (self, permanent); already present is
// success.
Result<void> fdb_append(const std::string& ns, const std::string& vxlan_dev, const std::string& mac,
                        const std::string& dst_ip);

}  // namespace octane::net
