// `synthminerd --benchmark`: the sha256d rate of a hash backend, measured
// with real scans (difficulty-1 target, disjoint nonce ranges per thread).
#pragma once

#include <cstdint>
#include <ostream>

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

/// Measures each CUDA device for about `seconds` and prints a line per
/// device (or why there is none). A device error is reported, not fatal.
void run_cuda_benchmarks(std::ostream& out, double seconds);

}  // namespace synthminer::daemon
