#pragma once

// Where a named namespace lives, and which names are acceptable: pure rules shared by the
// namespace functions, kept apart so they are unit-tested without root.

#include <string>

namespace octane::net {

// A single path component under /run/netns: non-empty, no '/', not "." or "..", NUL-free, and
// short enough for a file name.
bool valid_netns_name(const std::string& name);

// "/run/netns/<name>"
std::string netns_path(const std::string& name);

// "/proc/sys/" + key with dots as slashes; "" when the key is empty or would leave /proc/sys.
std::string sysctl_path(const std::string& key);

}  // namespace octane::net
