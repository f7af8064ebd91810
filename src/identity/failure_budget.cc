#include "identity/failure_budget.h"

#include <algorithm>

namespace octane::identity {

FailureBudget::FailureBudget(double per_second, Steady now)
    : per_second_(per_second),
      capacity_(std::max(1.0, per_second)),
      units_(capacity_),
      last_(now) {}

bool FailureBudget::try_spend(Steady now) {
    if (per_second_ <= 0) {
        return true;
    }
    if (now > last_) {
        std::chrono::duration<double> elapsed = now - last_;
        units_ = std::min(capacity_, units_ + elapsed.count() * per_second_);
        last_ = now;
    }
    if (units_ < 1.0) {
        return false;
    }
    units_ -= 1.0;
    return true;
}

void FailureBudget::refund() {
    if (per_second_ > 0) {
        units_ = std::min(capacity_, units_ + 1.0);
    }
}

}  // namespace octane::identity
