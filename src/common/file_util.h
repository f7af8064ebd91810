#pragma once

// Atomic replace of a file (temp file beside it + rename): readers, a running engine or a tool
// polling the file never see half of it, and a crash leaves the old content.

#include <string>
#include <string_view>

#include <sys/types.h>

#include "common/result.h"

namespace octane {

// Writes content to path with the given mode (applied even when umask narrows it).
Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode);

}  // namespace octane
