// `synthminerd --benchmark` on the GPUs of a CUDA build: each kernel shape
// and version-roll count, timed on the genesis header at difficulty 1.
#include <chrono>
#include <iomanip>
#include <optional>
#include <string>
#include <vector>

#include "devices/gpu_devices.h"
#include "hashcore/cuda/cuda_devices.h"
#include "hashcore/cuda/cuda_scanner.h"
#include "hashcore/known_vectors.h"

namespace synthminer::devices {
namespace {

// `rolls` version rolls of the genesis header (BIP 320 bits), each at its
// own difficulty-1 target: the work of a pool job with version rolling.
std::vector<hashcore::PreparedScan> rolled_genesis_headers(unsigned rolls) {
  std::vector<hashcore::PreparedScan> headers;
  for (unsigned roll = 0; roll < rolls; ++roll) {
    auto header = hashcore::genesis_header();
    const uint32_t version = (uint32_t{header[0]} | uint32_t{header[1]} << 8 |
                              uint32_t{header[2]} << 16 | uint32_t{header[3]} << 24) ^
                             (roll << 13);
    for (int i = 0; i < 4; ++i) header[i] = static_cast<uint8_t>(version >> (8 * i));
    headers.push_back(
        hashcore::prepare_scan(hashcore::scan_job_from_header(header, hashcore::genesis_target())));
  }
  return headers;
}

// GH/s of `gpu` scanning 2^30 nonces of each header per call for about
// `seconds`, after one warm-up call; nullopt with `error` set on failure.
std::optional<double> time_cuda(hashcore::cuda::CudaScanner& gpu, unsigned rolls, double seconds,
                                std::string& error) {
  using Clock = std::chrono::steady_clock;
  const auto headers = rolled_genesis_headers(rolls);
  if (!gpu.scan_rolls(headers, {0, 1u << 26}, rolls, error)) return std::nullopt;
  uint64_t hashes = 0;
  uint32_t start = 0;
  const auto begin = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - begin).count() < seconds) {
    const auto r = gpu.scan_rolls(headers, {start, uint64_t{1} << 30}, rolls, error);
    if (!r) return std::nullopt;
    for (const auto& one : *r) hashes += one.hashes;
    start += 1u << 30;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  return static_cast<double>(hashes) / elapsed / 1e9;
}

}  // namespace

void run_cuda_benchmarks(std::ostream& out, const CudaBenchmarkOptions& options) {
  const auto inventory = hashcore::cuda::list_cuda_devices();
  if (inventory.devices.empty()) {
    out << "cuda: none (" << inventory.none_reason << ")\n";
    return;
  }
  std::vector<std::string> kernels;
  if (options.kernel == "all") {
    for (const auto& shape : hashcore::cuda::cuda_kernel_shapes()) kernels.push_back(shape.name);
  } else {
    kernels.push_back(options.kernel);  // empty: the default
  }
  std::vector<unsigned> rolls{options.rolls};
  if (options.rolls == 0) rolls = {1, 2, 4, 8};
  for (const auto& d : inventory.devices) {
    out << "cuda " << d.index << ": " << d.name << ", " << d.multiprocessors << " SMs, "
        << d.clock_khz / 1000 << " MHz\n"
        << "  kernel     rolls      GH/s\n"
        << std::flush;
    for (const auto& kernel : kernels) {
      std::string error;
      auto gpu = hashcore::cuda::CudaScanner::open(d.index, error, kernel);
      for (unsigned r : rolls) {
        const auto rate = gpu ? time_cuda(*gpu, r, options.seconds, error) : std::nullopt;
        out << "  " << std::left << std::setw(10) << (gpu ? gpu->kernel().name : kernel)
            << std::right << std::setw(6) << r;
        if (!rate) {
          out << "  error: " << error << " (device disabled)\n";
          break;
        }
        out << std::fixed << std::setprecision(3) << std::setw(10) << *rate << '\n' << std::flush;
      }
    }
  }
}

}  // namespace synthminer::devices
