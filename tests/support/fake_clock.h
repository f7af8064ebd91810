#pragma once

// A wall clock at a fixed instant, moved by hand: tests of expiries and leases without sleeping.

#include <chrono>

#include "common/clock.h"

namespace octane::test_support {

class FakeClock final : public Clock {
  public:
    std::chrono::system_clock::time_point now() const override { return now_; }
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::time_point(now_.time_since_epoch());
    }
    void advance(std::chrono::milliseconds by) { now_ += by; }
    void set(std::chrono::system_clock::time_point t) { now_ = t; }

  private:
    std::chrono::system_clock::time_point now_ =
        std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
};

}  // namespace octane::test_support
