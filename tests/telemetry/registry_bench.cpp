// What feeding and reading the registry costs: the io thread pays for each
// event, a scrape pays for a snapshot and its rendering. Not run by ctest.
#include <benchmark/benchmark.h>
#include <prometheus/text_serializer.h>

#include <string>

#include "telemetry/json.h"
#include "telemetry/prometheus_render.h"
#include "telemetry/registry.h"
#include "tests/telemetry/fake_clock.h"
#include "tests/telemetry/fake_owners.h"

namespace synthminer::telemetry {
namespace {

using test::ShareOutcome;

/// A registry after `minutes` of 16 devices finishing a batch every 250 ms
/// each, 4 pools with a few reject reasons.
std::unique_ptr<Registry> busy_registry(test::FakeClock& clock, int minutes) {
  auto registry = std::make_unique<Registry>(clock.fn());
  auto owners = test::FakeOwners::attached_to(*registry);
  for (int step = 0; step < minutes * 60 * 4; ++step) {
    clock.advance(0.25);
    for (int d = 0; d < 16; ++d) {
      registry->batch_finished("cpu" + std::to_string(d),
                               {.hashes = 1'000'000, .seconds = 0.25, .nonces = 1 << 20});
    }
  }
  for (int p = 0; p < 4; ++p) {
    const std::string pool = "pool" + std::to_string(p);
    registry->pool_connection(pool, true);
    for (int r = 0; r < 8; ++r) {
      owners->share_result(pool, ShareOutcome::kRejected, 1, "reason " + std::to_string(r));
    }
    owners->share_result(pool, ShareOutcome::kAccepted, 1024);
    owners->share_submit_rtt(pool, 0.05);
  }
  return registry;
}

void BM_BatchFinished(benchmark::State& state) {
  test::FakeClock clock;
  Registry registry(clock.fn());
  for (auto _ : state) {
    clock.advance(0.001);
    registry.batch_finished("cpu0", {.hashes = 1000, .seconds = 0.001, .nonces = 1024});
  }
}
BENCHMARK(BM_BatchFinished);

void BM_SnapshotWithReasons(benchmark::State& state) {
  Registry registry;
  auto owners = test::FakeOwners::attached_to(registry);
  for (int r = 0; r < 32; ++r) {
    owners->share_result("pool", ShareOutcome::kRejected, 1, "reason " + std::to_string(r));
  }
  for (auto _ : state) benchmark::DoNotOptimize(registry.pools());
}
BENCHMARK(BM_SnapshotWithReasons);

void BM_SnapshotAndRenderPrometheus(benchmark::State& state) {
  test::FakeClock clock;
  auto registry = busy_registry(clock, 16);
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string text =
        prometheus::TextSerializer().Serialize(render_prometheus(registry->snapshot()));
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_SnapshotAndRenderPrometheus)->Unit(benchmark::kMicrosecond);

void BM_SummaryJson(benchmark::State& state) {
  test::FakeClock clock;
  auto registry = busy_registry(clock, 16);
  for (auto _ : state) benchmark::DoNotOptimize(summary_json(registry->summary()).dump());
}
BENCHMARK(BM_SummaryJson)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace synthminer::telemetry

BENCHMARK_MAIN();
