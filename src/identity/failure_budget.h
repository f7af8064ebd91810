#pragma once

// How many failed token validations an external Keystone is asked about per second
// ([keystone_authtoken] failed_validations_per_second): a token bucket that refills at that rate
// and holds at most one second's worth. A validation spends a unit before calling Keystone and
// gets it back when the token was valid, so only failures use the budget, and concurrent calls
// cannot overdraw it. Pure (time is passed in) and not thread-safe: the validator guards it.

#include <chrono>

namespace octane::identity {

class FailureBudget {
  public:
    using Steady = std::chrono::steady_clock::time_point;

    // per_second <= 0: no budget, every call may go ahead.
    FailureBudget(double per_second, Steady now);

    // false: over the budget, do not call Keystone.
    bool try_spend(Steady now);
    // The call it was spent on validated a token after all.
    void refund();

  private:
    double per_second_;
    double capacity_;
    double units_;
    Steady last_;
};

}  // namespace octane::identity
