#include "vgpu/quantum/quantum_sampling.h"

#include <algorithm>
#include <vector>

namespace jarvis::quantum {

uint64_t sample_outcomes(const StateVector& state, uint32_t shots, Xoshiro256& rng,
                         std::map<uint64_t, uint64_t>& counts) {
  if (shots == 0) return 0;
  const double* a = state.data();
  const uint64_t n = state.size();
  // The total, summed in exactly the order of the walk below so that every
  // target (< total) is reached.
  double total = 0.0;
  for (uint64_t i = 0; i < n; ++i) total += a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
  std::vector<double> targets(shots);
  for (double& t : targets) t = rng.uniform() * total;
  std::sort(targets.begin(), targets.end());
  double cumulative = 0.0;
  uint64_t last_nonzero = 0;
  size_t s = 0;
  uint64_t i = 0;
  for (; i < n && s < targets.size(); ++i) {
    const double p = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
    if (p > 0.0) last_nonzero = i;
    cumulative += p;
    const size_t first = s;
    while (s < targets.size() && targets[s] < cumulative) ++s;
    if (s > first) counts[i] += s - first;
  }
  // Only reachable if rounding left targets at the very top: the last
  // outcome with non-zero probability takes them.
  if (s < targets.size()) counts[last_nonzero] += targets.size() - s;
  return 4 * n + shots + 4 * i;
}

}  // namespace jarvis::quantum
