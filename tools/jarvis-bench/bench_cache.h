// jarvis-bench: InfiniteMemoryCache measurements (hit rate per second with a
// million entries resident, payload hashing speed, and hit ratio against a
// plain LRU on a Zipf(0.9) trace).
#pragma once

#include <nlohmann/json.hpp>

#include "hashcore/backend.h"

namespace jarvis::bench {

/// Runs the cache measurements; `quick` shrinks them to well under a second.
/// `sha` is the one-lane SHA-NI backend keys are hashed with (or null).
nlohmann::json run_cache_bench(bool quick, const synthminer::hashcore::Backend* sha);

}  // namespace jarvis::bench
