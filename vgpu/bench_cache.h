// jarvis-bench: InfiniteMemoryCache measurements (hit rate per second with a
// million entries resident, payload hashing speed, and hit ratio against a
// plain LRU on a Zipf(0.9) trace).
#pragma once

#include <nlohmann/json.hpp>

namespace jarvis::bench {

/// Runs the cache measurements; `quick` shrinks them to well under a second.
nlohmann::json run_cache_bench(bool quick);

}  // namespace jarvis::bench
