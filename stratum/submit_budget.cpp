#include "stratum/submit_budget.h"

#include <algorithm>

namespace synthminer::stratum {

SubmitBudget::SubmitBudget(double per_second, Clock::time_point now)
    : per_second_(per_second),
      capacity_(std::max(per_second, 1.0)),
      tokens_(capacity_),
      last_(now) {}

bool SubmitBudget::take(Clock::time_point now) {
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(capacity_, tokens_ + elapsed * per_second_);
    last_ = now;
  }
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  ++held_back_;
  return false;
}

}  // namespace synthminer::stratum
