#pragma once

// Time is injected (docs/design.md §7.8) so state machines and leases are testable without
// sleeping.

#include <chrono>
#include <cstdint>
#include <string>

namespace octane {

class Clock {
  public:
    virtual ~Clock() = default;
    // Wall-clock seconds since the epoch, for timestamps shown to users and for DB leases.
    virtual std::chrono::system_clock::time_point now() const = 0;
    // Monotonic time for intervals and deadlines.
    virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

class SystemClock final : public Clock {
  public:
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::now();
    }
};

// ISO-8601 without timezone, seconds resolution, as Octavia renders created_at/updated_at.
std::string format_timestamp(std::chrono::system_clock::time_point t);

int64_t to_unix_millis(std::chrono::system_clock::time_point t);

}  // namespace octane
