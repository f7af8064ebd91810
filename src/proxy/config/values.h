#pragma once

// Scalar values of haproxy.cfg: integers, durations (default unit ms; us/ms/s/m/h/d), sizes
// (k/m/g suffixes are powers of 1024, as HAProxy reads them).

#include <optional>
#include <string_view>

#include "proxy/config/model.h"

namespace octane::proxy::config {

std::optional<long long> parse_int(std::string_view text);
// A duration; a bare number is milliseconds, as HAProxy reads timeouts and check intervals.
std::optional<Millis> parse_duration(std::string_view text);
// "10k" = 10240, "1m" = 1048576.
std::optional<long long> parse_size(std::string_view text);

}  // namespace octane::proxy::config
