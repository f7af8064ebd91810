#pragma once

// Named network namespaces as iproute2 keeps them (/run/netns/<name>, a bind mount of a namespace
// file), so `ip netns list/exec` sees and enters what Octane creates, and the reverse.
// "" as a namespace name means the caller's own namespace throughout this library.

#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace octane::net {

// Already existing is success.
Result<void> create_netns(const std::string& name);
// Missing is success.
Result<void> delete_netns(const std::string& name);
// Names under /run/netns, sorted.
std::vector<std::string> list_netns();
bool netns_exists(const std::string& name);

// Runs fn on the calling thread inside ns, then returns the thread to the namespace it was in,
// also when fn throws. Only this thread moves, so many threads may do this at once.
Result<void> in_netns(const std::string& ns, const std::function<Result<void>()>& fn);

// PIDs of processes whose network namespace is ns ("": the calling thread's).
std::vector<pid_t> processes_in_netns(const std::string& ns);

// Writes /proc/sys/<key with dots as slashes> inside ns, e.g. ("net.ipv4.ip_forward", "1").
Result<void> sysctl(const std::string& ns, const std::string& key, const std::string& value);

}  // namespace octane::net
