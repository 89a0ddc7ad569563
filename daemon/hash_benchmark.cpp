#include "daemon/hash_benchmark.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "hashcore/known_vectors.h"
#if defined(SYNTHMINER_HAVE_CUDA)
#include <iomanip>

#include "hashcore/cuda/cuda_scanner.h"
#endif

namespace synthminer::daemon {

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

void run_cuda_benchmarks(std::ostream& out, double seconds) {
#if defined(SYNTHMINER_HAVE_CUDA)
  using Clock = std::chrono::steady_clock;
  const auto inventory = hashcore::cuda::list_cuda_devices();
  if (inventory.devices.empty()) {
    out << "cuda: none (" << inventory.none_reason << ")\n";
    return;
  }
  const auto prepared = hashcore::prepare_scan(
      hashcore::scan_job_from_header(hashcore::genesis_header(), hashcore::genesis_target()));
  for (const auto& d : inventory.devices) {
    out << "cuda " << d.index << ": " << d.name << ", " << d.multiprocessors << " SMs, "
        << d.clock_khz / 1000 << " MHz: " << std::flush;
    std::string error;
    auto gpu = hashcore::cuda::CudaScanner::open(d.index, error);
    // One warm-up scan (module load, clocks), then measured scans of 2^30.
    if (gpu && gpu->scan(prepared, {0, 1u << 26}, error)) {
      uint64_t hashes = 0;
      uint32_t start = 0;
      const auto begin = Clock::now();
      while (std::chrono::duration<double>(Clock::now() - begin).count() < seconds) {
        const auto r = gpu->scan(prepared, {start, uint64_t{1} << 30}, error);
        if (!r) break;
        hashes += r->hashes;
        start += 1u << 30;
      }
      const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
      if (error.empty()) {
        out << std::fixed << std::setprecision(3) << static_cast<double>(hashes) / elapsed / 1e9
            << " GH/s\n";
        continue;
      }
    }
    out << "error: " << error << " (device disabled)\n";
  }
#else
  (void)seconds;
  out << "cuda: not built (nvcc was not found at configure time)\n";
#endif
}

}  // namespace synthminer::daemon
