// Uniform random doubles in [-1, 1) from a seed: operands for the linalg
// tests and benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace synthminer::testing {

inline std::vector<double> random_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> out(n);
  for (double& x : out) x = u(rng);
  return out;
}

}  // namespace synthminer::testing
