#include "stratum/backoff.h"

#include <algorithm>
#include <cmath>

namespace synthminer::stratum {

Backoff::Backoff(BackoffOptions options, uint64_t seed) : options_(options), rng_(seed) {
  if (options_.initial.count() < 1) options_.initial = Millis(1);
  if (options_.max < options_.initial) options_.max = options_.initial;
  if (!(options_.multiplier >= 1.0)) options_.multiplier = 1.0;
  options_.jitter = std::clamp(options_.jitter, 0.0, 1.0);
}

Millis Backoff::next() {
  const double initial = static_cast<double>(options_.initial.count());
  const double cap = static_cast<double>(options_.max.count());
  const double base = std::min(cap, initial * std::pow(options_.multiplier, attempts_));
  const double low = std::max(initial, base * (1.0 - options_.jitter));
  std::uniform_real_distribution<double> draw(low, std::max(low, base));
  if (attempts_ < 64) ++attempts_;  // beyond this the base is long capped
  return Millis(static_cast<int64_t>(std::clamp(std::round(draw(rng_)), initial, cap)));
}

}  // namespace synthminer::stratum
