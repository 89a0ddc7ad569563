// jarvis-bench: FlopCompressionLayer on a large low-rank matrix plus noise:
// factor time, dense versus low-rank matvec, and the error against the bound.
#pragma once

#include <nlohmann/json.hpp>

#include "hashcore/backend.h"

namespace jarvis::bench {

/// 4096 x 4096 of rank 64 (quick: 1024 x 1024 of rank 16) plus 1e-12 noise.
nlohmann::json run_compression_bench(bool quick, const synthminer::hashcore::Backend* sha);

}  // namespace jarvis::bench
