#include "daemon/latency_samples.h"

#include <algorithm>
#include <cmath>

namespace synthminer::daemon {

double LatencySamples::percentile(double p) const {
  if (samples_.empty()) return 0;
  std::vector<double> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const auto index = static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(sorted.size())));
  return sorted[index - 1];
}

}  // namespace synthminer::daemon
