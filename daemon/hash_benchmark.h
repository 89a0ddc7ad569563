// `synthminerd --benchmark`: the sha256d rate of a hash backend, measured
// with real scans (difficulty-1 target, disjoint nonce ranges per thread).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "hashcore/backend.h"

namespace synthminer::daemon {

struct BenchmarkResult {
  uint64_t hashes = 0;
  double seconds = 0;
  double hashes_per_second() const {
    return seconds > 0 ? static_cast<double>(hashes) / seconds : 0;
  }
};

/// Runs `threads` threads scanning with `backend` for about `seconds`.
BenchmarkResult run_hash_benchmark(const hashcore::Backend& backend, unsigned threads,
                                   double seconds);

struct CudaBenchmarkOptions {
  double seconds = 5;  ///< per kernel shape and roll count
  std::string kernel;  ///< a kernel shape's name, "all", or empty: the default
  unsigned rolls = 1;  ///< headers (version rolls) per launch; 0: 1, 2, 4 and 8
};

/// Measures each CUDA device and prints a line per kernel shape and roll
/// count (or why there is no device). A device error is reported, not fatal.
void run_cuda_benchmarks(std::ostream& out, const CudaBenchmarkOptions& options);

}  // namespace synthminer::daemon
