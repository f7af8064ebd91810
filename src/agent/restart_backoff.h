#pragma once

// How long a supervised process that keeps dying waits before its next start: at once after the
// first crash, then 0.1 s doubling to 5 s, so a crash loop costs little and a one-off crash
// nothing. Shared by the engine and keepalived supervisors.

#include <algorithm>
#include <chrono>

namespace octane::agent {

inline std::chrono::milliseconds restart_backoff(int crashes) {
    if (crashes <= 1) {
        return std::chrono::milliseconds(0);
    }
    auto delay = std::chrono::milliseconds(100) * (1 << std::min(crashes - 2, 6));
    return std::min(delay, std::chrono::milliseconds(5000));
}

}  // namespace octane::agent
