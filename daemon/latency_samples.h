// Latency samples (milliseconds) and their percentiles, for the figures the
// demo prints: job switch and share submission.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace synthminer::daemon {

class LatencySamples {
 public:
  void add(double ms) { samples_.push_back(ms); }
  size_t count() const { return samples_.size(); }
  /// Nearest-rank percentile, p in [0, 100]; 0 when there are no samples.
  double percentile(double p) const;
  /// Samples per bucket: counts[i] holds those <= upper_bounds[i] and above
  /// the bound before it; the last count (one more than the bounds) holds
  /// the rest. `upper_bounds` ascending, in ms.
  std::vector<size_t> histogram(const std::vector<double>& upper_bounds) const;
  /// "<=1ms:12 <=2ms:30 ... >50ms:0", for the console.
  std::string histogram_line(const std::vector<double>& upper_bounds) const;

 private:
  std::vector<double> samples_;
};

}  // namespace synthminer::daemon
