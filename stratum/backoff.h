// Exponential reconnect back-off with jitter.
//
// Attempt n (from 0) has a base of initial * multiplier^n, capped at max; the
// delay is drawn uniformly from [max(initial, base * (1 - jitter)), base], so
// the first delay is exactly `initial`, no delay ever exceeds `max`, and many
// miners that lost the same pool do not come back in lock-step.
#pragma once

#include <cstdint>
#include <random>

#include "stratum/client_options.h"

namespace synthminer::stratum {

class Backoff {
 public:
  /// `seed` makes the jitter reproducible in tests.
  explicit Backoff(BackoffOptions options, uint64_t seed = std::random_device{}());

  /// The delay before the next attempt; each call counts one attempt.
  Millis next();
  /// After a success: the next delay is `initial` again.
  void reset() { attempts_ = 0; }
  uint32_t attempts() const { return attempts_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 rng_;
  uint32_t attempts_ = 0;
};

}  // namespace synthminer::stratum
