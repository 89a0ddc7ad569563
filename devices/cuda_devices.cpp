// The GPU half of the factory in a CUDA build: the inventory, and one
// mining device per enabled GPU, each with a start-up rate measured by a
// short calibration (its first batches are sized from it, not from a guess).
#include <algorithm>
#include <chrono>
#include <memory>

#include "devices/cuda_scan_device.h"
#include "devices/gpu_devices.h"
#include "hashcore/cuda/cuda_devices.h"
#include "hashcore/known_vectors.h"

namespace synthminer::devices {
namespace {

using Clock = std::chrono::steady_clock;

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

// Opens GPU `index` with the configured kernel shape, falling back to the
// default shape (with a note) when the configured one does not exist.
std::unique_ptr<CudaScanDevice> open_gpu(int index, const config::CudaConfig& cuda,
                                         DeviceSetup& setup) {
  std::string error;
  auto gpu = CudaScanDevice::open(index, error, cuda.kernel, cuda.rolls_per_thread);
  if (!gpu && !cuda.kernel.empty() && error.find("kernel shape") != std::string::npos) {
    setup.notes.push_back("cuda " + std::to_string(index) + ": " + error +
                          " (devices.cuda.kernel); using the default");
    error.clear();
    gpu = CudaScanDevice::open(index, error, {}, cuda.rolls_per_thread);
  }
  if (!gpu) setup.notes.push_back("cuda " + std::to_string(index) + ": skipped: " + error);
  return gpu;
}

// One mining device for an opened GPU; nullopt (with a note) when its
// calibration faulted.
std::optional<MiningDevice> gpu_worker(const hashcore::cuda::CudaDevice& info,
                                       std::unique_ptr<CudaScanDevice> gpu,
                                       const scheduler::BatchSizerOptions& sizing,
                                       DeviceSetup& setup) {
  MiningDevice d;
  d.measured_rate = calibrate_gpu(*gpu);
  if (gpu->fault()) {
    setup.notes.push_back("cuda " + std::to_string(info.index) + ": skipped: " + *gpu->fault());
    return std::nullopt;
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
  return d;
}

}  // namespace

bool gpu_backend_built() {
  return true;
}

void add_gpu_workers(const config::Config& config, DeviceSetup& setup) {
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
    auto gpu = open_gpu(info.index, cuda, setup);
    if (!gpu) continue;
    if (auto d = gpu_worker(info, std::move(gpu), sizing, setup))
      setup.devices.push_back(std::move(*d));
  }
  for (const uint32_t index : cuda.devices.value_or(std::vector<uint32_t>{})) {
    if (index >= inventory.devices.size())
      setup.notes.push_back("cuda " + std::to_string(index) +
                            ": no such device (devices.cuda.devices)");
  }
}

void print_cuda_devices(std::ostream& out) {
  const auto inventory = hashcore::cuda::list_cuda_devices();
  if (inventory.devices.empty()) {
    out << "cuda: none (" << inventory.none_reason << "); mining uses the CPU\n";
    return;
  }
  for (const auto& d : inventory.devices) {
    out << "cuda " << d.index << ": " << d.name << ", " << d.multiprocessors << " SMs, "
        << d.clock_khz / 1000 << " MHz, " << d.memory_bytes / (1024 * 1024) << " MiB, sm_"
        << d.compute_major << d.compute_minor << '\n';
  }
}

}  // namespace synthminer::devices
