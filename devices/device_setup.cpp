#include "devices/device_setup.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "devices/gpu_devices.h"
#include "devices/hash_benchmark.h"
#include "scheduler/scan_device.h"

namespace synthminer::devices {
namespace {

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

}  // namespace

DeviceSetup build_devices(const config::Config& config, const hashcore::Backend& cpu_backend,
                          unsigned threads_override) {
  DeviceSetup setup;
  add_gpu_workers(config, setup);
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

}  // namespace synthminer::devices
