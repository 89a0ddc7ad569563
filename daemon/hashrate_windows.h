// Hashrate over the last 10 s, 60 s and 15 min, from a running hash count
// sampled about once a second (as XMRig's console line shows it).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace synthminer::daemon {

class HashrateWindows {
 public:
  using Clock = std::chrono::steady_clock;

  /// Records the total hashes done so far, at `now`.
  void sample(uint64_t total_hashes, Clock::time_point now);
  /// Hashes per second over the last `window`; nullopt until that much
  /// history exists (a partial window would overstate a warm-up).
  std::optional<double> rate(std::chrono::seconds window) const;

 private:
  struct Sample {
    Clock::time_point at;
    uint64_t hashes;
  };
  std::deque<Sample> samples_;  ///< oldest first, at most ~15 min + 1 s
};

}  // namespace synthminer::daemon
