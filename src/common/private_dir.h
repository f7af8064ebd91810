#pragma once

// Directories only their owner may enter (0700): the state directory (database with password
// hashes, the CA key, the heartbeat key) and the directory of the engines' stats sockets, whose
// sockets accept anyone who can reach the path.

#include <string>

#include "common/result.h"

namespace octane {

// Creates path (and missing parents) as 0700, or narrows an existing directory to 0700. Fails
// when path is a symbolic link, not a directory, or owned by another user: a directory somebody
// else made in a shared place such as /tmp is theirs to read, never ours to trust.
Result<void> ensure_private_dir(const std::string& path);

// A short private directory for UNIX sockets, /tmp/octane-<euid>: sun_path holds 107 bytes, and a
// state directory can be longer than that alone.
std::string private_socket_dir();

}  // namespace octane
