// How many shares may go to one pool: a token bucket of `per_second` tokens
// a second holding at most one second's worth (at least one token). A pool
// difficulty near zero makes nearly every nonce a share; past the budget
// they are held back (counted stale) instead of flooding the pool and us.
#pragma once

#include <chrono>
#include <cstdint>

namespace synthminer::stratum {

class SubmitBudget {
 public:
  using Clock = std::chrono::steady_clock;

  SubmitBudget(double per_second, Clock::time_point now);

  /// Spends one token if there is one. False: hold the share back.
  bool take(Clock::time_point now);
  /// Shares refused since construction.
  uint64_t held_back() const { return held_back_; }

 private:
  double per_second_;
  double capacity_;
  double tokens_;
  Clock::time_point last_;
  uint64_t held_back_ = 0;
};

}  // namespace synthminer::stratum
