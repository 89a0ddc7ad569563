// The sha256d rate of a CPU hash backend, measured with real scans
// (difficulty-1 target, disjoint nonce ranges per thread): `synthminerd
// --benchmark` prints it, and the CPU workers start from it. The GPUs'
// benchmark is run_cuda_benchmarks (devices/gpu_devices.h).
#pragma once

#include <cstdint>

#include "hashcore/backend.h"

namespace synthminer::devices {

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

}  // namespace synthminer::devices
