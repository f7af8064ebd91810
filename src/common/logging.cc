#include "common/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace octane {

void setup_logging(const std::string& level, const std::string& log_file) {
    std::shared_ptr<spdlog::logger> logger;
    if (log_file.empty()) {
        logger = spdlog::stderr_color_mt("octane");
    } else {
        logger = spdlog::basic_logger_mt("octane", log_file);
    }
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %P %^%l%$ %v");
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

}  // namespace octane
