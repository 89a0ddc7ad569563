// Single-thread sha256d scan rate of each backend this CPU can run, and the
// reference for scale. Run: build/tests/bench/hashcore_bench
#include <benchmark/benchmark.h>

#include "hashcore/backend.h"
#include "hashcore/known_vectors.h"

namespace hc = synthminer::hashcore;

namespace {

const hc::PreparedScan& genesis_scan() {
  static const hc::PreparedScan p =
      hc::prepare_scan(hc::scan_job_from_header(hc::genesis_header(), hc::genesis_target()));
  return p;
}

void scan_backend(benchmark::State& state, const hc::Backend* backend) {
  constexpr uint64_t kNonces = 1 << 16;
  uint32_t start = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(hc::scan(*backend, genesis_scan(), {start, kNonces}));
    start += kNonces;
  }
  state.counters["hashes/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kNonces),
                                                  benchmark::Counter::kIsRate);
}

void scan_reference(benchmark::State& state) {
  constexpr uint64_t kNonces = 1 << 12;
  for (auto _ : state) {
    benchmark::DoNotOptimize(hc::scan_reference(genesis_scan().job, {0, kNonces}));
  }
  state.counters["hashes/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kNonces),
                                                  benchmark::Counter::kIsRate);
}

const int kRegistered = [] {
  const hc::CpuFeatures cpu = hc::detect_cpu_features();
  for (const hc::Backend& b : hc::compiled_backends()) {
    if (!b.supported(cpu)) continue;
    benchmark::RegisterBenchmark(("sha256d_scan/" + std::string(b.name)).c_str(), scan_backend, &b);
  }
  benchmark::RegisterBenchmark("sha256d_scan/reference", scan_reference);
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
