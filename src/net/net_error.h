#pragma once

// Error messages of this library all say where (namespace, device), what was attempted, and the
// kernel's own words, so a failed plug can be diagnosed from the log line alone.

#include <string>

#include "common/result.h"

namespace octane::net {

// "netns qrouter-1 dev qg-1" / "root netns"; dev may be empty.
std::string describe_place(const std::string& ns, const std::string& dev = "");

// "<action> in <place>: <strerror(err)>"
Unexpected<Error> system_error(const std::string& action, const std::string& ns,
                               const std::string& dev, int err);

// "<action> in <place>: <nl_geterror(nl_err)>" (nl_err as returned by libnl, negative or not).
Unexpected<Error> netlink_error(const std::string& action, const std::string& ns,
                                const std::string& dev, int nl_err);

}  // namespace octane::net
