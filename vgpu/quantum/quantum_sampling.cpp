#include "vgpu/quantum/quantum_sampling.h"

#include <algorithm>
#include <vector>

namespace jarvis::quantum {
namespace {

// |a_i|^2 in double, whatever the storage precision.
template <typename T>
double norm2(const T* a, uint64_t i) {
  const double re = a[2 * i], im = a[2 * i + 1];
  return re * re + im * im;
}

// sample_outcomes on 2^n amplitudes of either precision.
template <typename T>
uint64_t sample(const T* a, uint64_t n, uint32_t shots, Xoshiro256& rng,
                std::map<uint64_t, uint64_t>& counts) {
  // The total, summed in exactly the order of the walk below so that every
  // target (< total) is reached.
  double total = 0.0;
  for (uint64_t i = 0; i < n; ++i) total += norm2(a, i);
  std::vector<double> targets(shots);
  for (double& t : targets) t = rng.uniform() * total;
  std::sort(targets.begin(), targets.end());
  double cumulative = 0.0;
  uint64_t last_nonzero = 0;
  size_t s = 0;
  uint64_t i = 0;
  for (; i < n && s < targets.size(); ++i) {
    const double p = norm2(a, i);
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

}  // namespace

uint64_t sample_outcomes(const StateVector& state, uint32_t shots, Xoshiro256& rng,
                         std::map<uint64_t, uint64_t>& counts) {
  if (shots == 0) return 0;
  if (state.precision() == Precision::kFloat32) {
    return sample(state.data32(), state.size(), shots, rng, counts);
  }
  return sample(state.data(), state.size(), shots, rng, counts);
}

}  // namespace jarvis::quantum
