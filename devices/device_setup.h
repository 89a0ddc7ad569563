// The one factory of mining devices: from the config's "devices" and
// "scheduler" sections to the devices the scheduler drives, CPU workers
// (threads, pinning, backend) and one worker per enabled CUDA device, each
// with a start-up rate measured by a short calibration (its first batches
// are sized from it, not from a guess). Only this folder knows whether the
// build has CUDA (gpu_devices.h); callers see devices.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "hashcore/backend.h"
#include "scheduler/device_worker.h"
#include "scheduler/scheduler.h"

namespace synthminer::devices {

struct MiningDevice {
  std::unique_ptr<scheduler::ScanDevice> device;
  scheduler::WorkerOptions options;
  std::string description;        ///< "CPU (avx512, 16 lanes)", "NVIDIA H200, 132 SMs"
  double measured_rate = 0;       ///< hashes per second, from the calibration
  std::string worker;             ///< the scheduler's name for it ("cpu_0", "cuda0")
  std::optional<int> cuda_index;  ///< the CUDA device, for a GPU
};

struct DeviceSetup {
  std::vector<MiningDevice> devices;
  std::vector<std::string> notes;  ///< what was skipped and why (log these)
};

/// Builds the workers. `cpu_backend` must be usable on this CPU;
/// `threads_override` (> 0) replaces devices.cpu.threads. A CUDA device
/// that cannot be opened is skipped with a note; "no GPU here" is a note.
DeviceSetup build_devices(const config::Config& config, const hashcore::Backend& cpu_backend,
                          unsigned threads_override = 0);

/// Scheduler options from the "scheduler" section: stall factor and the
/// hardware-error threshold (a device is backed off at half of it and
/// disabled at it, judged over enough candidates for the rate to mean it).
scheduler::SchedulerOptions scheduler_options(const config::SchedulerConfig& config);

}  // namespace synthminer::devices
