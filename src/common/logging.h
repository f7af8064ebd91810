#pragma once

// Logging goes through spdlog; set up once at process entry (bin/), used everywhere by name.

#include <string>

#include <spdlog/spdlog.h>

namespace octane {

// level: trace|debug|info|warn|error; an empty log_file means stderr.
void setup_logging(const std::string& level, const std::string& log_file);

}  // namespace octane
