// jarvis-bench: the seed's benchmark suite through Jarvis5090X::submit():
// repeated low-rank and full-rank matmuls, repeated and unique circuits,
// hashing. Each scenario reports benchmark_stats() for its own calls.
#pragma once

#include <nlohmann/json.hpp>

#include "vgpu/jarvis.h"

namespace jarvis::bench {

/// Runs every scenario on `jarvis` (stats reset before each one).
nlohmann::json run_seed_suite(Jarvis5090X& jarvis, bool quick);

}  // namespace jarvis::bench
