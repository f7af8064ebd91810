#pragma once

// Small file helpers of the agent: whole-file read, md5 hex (Octavia's ETag and md5sum); atomic
// replace is common/file_util.h.

#include <string>
#include <string_view>

#include <sys/types.h>

#include "common/file_util.h"
#include "common/result.h"

namespace octane::agent {

Result<std::string> read_file(const std::string& path);
std::string md5_hex(std::string_view data);

}  // namespace octane::agent
