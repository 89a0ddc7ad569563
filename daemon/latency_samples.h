// Latency samples (milliseconds) and their percentiles, for the figures the
// demo prints: job switch and share submission.
#pragma once

#include <cstddef>
#include <vector>

namespace synthminer::daemon {

class LatencySamples {
 public:
  void add(double ms) { samples_.push_back(ms); }
  size_t count() const { return samples_.size(); }
  /// Nearest-rank percentile, p in [0, 100]; 0 when there are no samples.
  double percentile(double p) const;

 private:
  std::vector<double> samples_;
};

}  // namespace synthminer::daemon
