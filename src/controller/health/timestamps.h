#pragma once

// Reads back the timestamps the control plane writes (format_timestamp in common/clock.h:
// "YYYY-MM-DDTHH:MM:SS", UTC, seconds). The stale check needs an amphora's creation time for
// amphorae that never sent a heartbeat. Pure.

#include <chrono>
#include <optional>
#include <string_view>

namespace octane::controller::health {

// nullopt unless text is exactly "YYYY-MM-DDTHH:MM:SS" with a valid date and time.
std::optional<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text);

}  // namespace octane::controller::health
