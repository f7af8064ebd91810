#pragma once

// Small file helpers of the agent: whole-file read, atomic replace (temp file + rename, so readers
// and the running engine never see half a file), md5 hex (Octavia's ETag and md5sum).

#include <string>
#include <string_view>

#include <sys/types.h>

#include "common/result.h"

namespace octane::agent {

Result<std::string> read_file(const std::string& path);
Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode);
std::string md5_hex(std::string_view data);

}  // namespace octane::agent
