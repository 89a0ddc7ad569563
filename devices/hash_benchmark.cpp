#include "devices/hash_benchmark.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "hashcore/known_vectors.h"

namespace synthminer::devices {

BenchmarkResult run_hash_benchmark(const hashcore::Backend& backend, unsigned threads,
                                   double seconds) {
  using Clock = std::chrono::steady_clock;
  // A real header at a real share target: the work is exactly mining's.
  const auto prepared = hashcore::prepare_scan(
      hashcore::scan_job_from_header(hashcore::genesis_header(), hashcore::genesis_target()));
  // Chunks of ~10-30 ms on a fast core, so the deadline is checked often.
  constexpr uint64_t kChunk = uint64_t{1} << 19;
  const uint64_t stride = (uint64_t{1} << 32) / threads;

  std::atomic<bool> stop{false};
  std::vector<uint64_t> done(threads, 0);
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      uint64_t offset = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const uint32_t first = static_cast<uint32_t>(t * stride + offset % (stride - kChunk));
        done[t] += hashcore::scan(backend, prepared, {first, kChunk}).hashes;
        offset += kChunk;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  BenchmarkResult result;
  for (uint64_t d : done) result.hashes += d;
  result.seconds = elapsed;
  return result;
}

}  // namespace synthminer::devices
