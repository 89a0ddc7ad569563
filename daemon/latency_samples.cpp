#include "daemon/latency_samples.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace synthminer::daemon {

double LatencySamples::percentile(double p) const {
  if (samples_.empty()) return 0;
  std::vector<double> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const auto index = static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(sorted.size())));
  return sorted[index - 1];
}

std::vector<size_t> LatencySamples::histogram(const std::vector<double>& upper_bounds) const {
  std::vector<size_t> counts(upper_bounds.size() + 1, 0);
  for (const double ms : samples_) {
    const auto bucket = std::lower_bound(upper_bounds.begin(), upper_bounds.end(), ms);
    ++counts[static_cast<size_t>(bucket - upper_bounds.begin())];
  }
  return counts;
}

std::string LatencySamples::histogram_line(const std::vector<double>& upper_bounds) const {
  const auto counts = histogram(upper_bounds);
  std::string line;
  char cell[48];
  for (size_t i = 0; i < upper_bounds.size(); ++i) {
    std::snprintf(cell, sizeof cell, "<=%gms:%zu ", upper_bounds[i], counts[i]);
    line += cell;
  }
  std::snprintf(cell, sizeof cell, ">%gms:%zu", upper_bounds.empty() ? 0.0 : upper_bounds.back(),
                counts.back());
  return line + cell;
}

}  // namespace synthminer::daemon
