#include "daemon/device_setup.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "daemon/hash_benchmark.h"
#include "scheduler/scan_device.h"
#if defined(SYNTHMINER_HAVE_CUDA)
#include "hashcore/cuda/cuda_devices.h"
#include "hashcore/known_vectors.h"
#include "scheduler/cuda_device.h"
#endif

namespace synthminer::daemon {
namespace {

using Clock = std::chrono::steady_clock;

void add_cpu_workers(const config::Config& config, const hashcore::Backend& backend,
                     unsigned threads_override, DeviceSetup& setup) {
  const config::CpuConfig& cpu = config.devices.cpu;
  if (!cpu.enabled) {
    setup.notes.push_back("cpu: disabled by devices.cpu.enabled");
    return;
  }
  const unsigned threads = threads_override ? threads_override
                           : cpu.threads    ? cpu.threads
                                            : std::max(1u, std::thread::hardware_concurrency());
  const double rate = run_hash_benchmark(backend, 1, 0.3).hashes_per_second();
  scheduler::BatchSizerOptions sizing = scheduler::cpu_batch_options();
  sizing.target_seconds = config.scheduler.cpu_batch_target_ms / 1000.0;
  sizing.initial_rate = rate;
  for (unsigned i = 0; i < threads; ++i) {
    MiningDevice d;
    d.device = std::make_unique<scheduler::BackendDevice>("cpu_" + std::to_string(i), backend);
    d.options.sizing = sizing;
    if (cpu.affinity && !cpu.affinity->empty()) {
      d.options.pin_cpu = (*cpu.affinity)[i % cpu.affinity->size()];
    }
    d.description =
        "CPU (" + std::string(backend.name) + ", " + std::to_string(backend.lanes) + " lanes" +
        (d.options.pin_cpu ? ", pinned to CPU " + std::to_string(*d.options.pin_cpu) : "") + ")";
    d.measured_rate = rate;
    d.worker = std::string(d.device->name());
    setup.devices.push_back(std::move(d));
  }
}

#if defined(SYNTHMINER_HAVE_CUDA)
// The genesis header at its own difficulty: real mining work.
std::shared_ptr<const scheduler::Midstate> calibration_midstate() {
  auto midstate = std::make_shared<scheduler::Midstate>();
  midstate->header = hashcore::genesis_header();
  midstate->prepared = hashcore::prepare_scan(
      hashcore::scan_job_from_header(hashcore::genesis_header(), hashcore::genesis_target()));
  return midstate;
}

// A warm-up scan (module load, clocks) and a timed one of about 0.1 s.
double calibrate_gpu(scheduler::ScanDevice& gpu) {
  const auto midstate = calibration_midstate();
  gpu.scan(*midstate, {0, uint64_t{1} << 24});
  if (gpu.fault()) return 0;
  uint64_t count = uint64_t{1} << 26;
  for (;;) {
    const auto begin = Clock::now();
    const auto result = gpu.scan(*midstate, {0, count});
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    if (gpu.fault()) return 0;
    if (seconds >= 0.05 || count >= (uint64_t{1} << 32))
      return static_cast<double>(result.hashes) / seconds;
    count = std::min<uint64_t>(count * 4, uint64_t{1} << 32);
  }
}

void add_cuda_workers(const config::Config& config, DeviceSetup& setup) {
  const config::CudaConfig& cuda = config.devices.cuda;
  if (!cuda.enabled) {
    setup.notes.push_back("cuda: disabled by devices.cuda.enabled");
    return;
  }
  const auto inventory = hashcore::cuda::list_cuda_devices();
  if (inventory.devices.empty()) {
    setup.notes.push_back("cuda: none (" + inventory.none_reason + "); mining uses the CPU");
    return;
  }
  scheduler::BatchSizerOptions sizing = scheduler::gpu_batch_options();
  sizing.target_seconds = config.scheduler.gpu_batch_target_ms / 1000.0;
  for (const auto& info : inventory.devices) {
    if (cuda.devices && std::find(cuda.devices->begin(), cuda.devices->end(),
                                  static_cast<uint32_t>(info.index)) == cuda.devices->end()) {
      continue;
    }
    std::string error;
    auto gpu =
        scheduler::CudaScanDevice::open(info.index, error, cuda.kernel, cuda.rolls_per_thread);
    if (!gpu && !cuda.kernel.empty() && error.find("kernel shape") != std::string::npos) {
      setup.notes.push_back("cuda " + std::to_string(info.index) + ": " + error +
                            " (devices.cuda.kernel); using the default");
      error.clear();
      gpu = scheduler::CudaScanDevice::open(info.index, error, {}, cuda.rolls_per_thread);
    }
    if (!gpu) {
      setup.notes.push_back("cuda " + std::to_string(info.index) + ": skipped: " + error);
      continue;
    }
    MiningDevice d;
    d.measured_rate = calibrate_gpu(*gpu);
    if (gpu->fault()) {
      setup.notes.push_back("cuda " + std::to_string(info.index) + ": skipped: " + *gpu->fault());
      continue;
    }
    d.description = info.name + ", " + std::to_string(info.multiprocessors) + " SMs, sm_" +
                    std::to_string(info.compute_major) + std::to_string(info.compute_minor) +
                    ", kernel " + gpu->kernel().name + ", " +
                    std::to_string(gpu->rolls_per_thread()) + " version rolls per thread";
    d.options.sizing = sizing;
    d.options.sizing.initial_rate = d.measured_rate;
    // Its host thread feeds the GPU: it takes only vgpu tasks routed to this GPU.
    d.options.runs_tasks = false;
    d.options.lowered_priority = false;
    // One piece per batch: a clean job waits for the batch in flight (the
    // GPU's batch target, 20 ms by default), but no wave tail or wait is
    // paid four times per batch (on an H200 that was 4.5 % of its rate).
    // (Twice the target: the batch stays one piece as the rate estimate moves.)
    d.options.piece_seconds = 2 * sizing.target_seconds;
    d.worker = std::string(gpu->name());
    d.cuda_index = info.index;
    d.device = std::move(gpu);
    setup.devices.push_back(std::move(d));
  }
  for (const uint32_t index : cuda.devices.value_or(std::vector<uint32_t>{})) {
    if (index >= inventory.devices.size())
      setup.notes.push_back("cuda " + std::to_string(index) +
                            ": no such device (devices.cuda.devices)");
  }
}
#endif

}  // namespace

DeviceSetup build_devices(const config::Config& config, const hashcore::Backend& cpu_backend,
                          unsigned threads_override) {
  DeviceSetup setup;
#if defined(SYNTHMINER_HAVE_CUDA)
  add_cuda_workers(config, setup);
#else
  if (config.devices.cuda.enabled)
    setup.notes.push_back("cuda: not built (nvcc was not found at configure time)");
#endif
  add_cpu_workers(config, cpu_backend, threads_override, setup);
  return setup;
}

scheduler::SchedulerOptions scheduler_options(const config::SchedulerConfig& config) {
  scheduler::SchedulerOptions options;
  const double threshold = std::clamp(config.hardware_error_threshold, 1e-4, 1.0);
  // Enough candidates that one unlucky error cannot cross the threshold:
  // a verdict needs at least 3 errors' worth of candidates.
  options.health.window =
      static_cast<size_t>(std::clamp(std::ceil(10 / threshold), 100.0, 100000.0));
  options.health.min_samples = std::min(
      options.health.window, static_cast<size_t>(std::max(10.0, std::ceil(3 / threshold))));
  options.health.disable_rate = threshold;
  options.health.backoff_rate = threshold / 2;
  options.timing.stall_factor = config.stall_factor;
  return options;
}

}  // namespace synthminer::daemon
