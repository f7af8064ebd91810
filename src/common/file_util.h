#pragma once

// Atomic replace of a file (temp file beside it + rename): readers, a running engine or a tool
// polling the file never see half of it, and a crash leaves the old content.

#include <cstdint>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "common/result.h"

namespace octane {

// Writes content to path with the given mode (applied even when umask narrows it).
Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode);

// The port a daemon bound, as one decimal line: how tests and tools find a port chosen by the
// kernel (bind port 0).
Result<void> write_port_file(const std::string& path, uint16_t port);

}  // namespace octane
