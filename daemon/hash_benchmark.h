// `synthminerd --benchmark`: the sha256d rate of a hash backend, measured
// with real scans (difficulty-1 target, disjoint nonce ranges per thread).
#pragma once

#include <cstdint>

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

}  // namespace synthminer::daemon
