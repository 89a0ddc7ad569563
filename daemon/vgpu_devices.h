// The devices of the vgpu layer besides the host CPU: each CUDA GPU that
// mining uses, measured at start-up (calibrate_gpu) and run through its own
// mining worker, so vgpu work routed to a GPU goes ahead of that GPU's next
// mining batch.
//
// Design: a request is taken by a CPU worker (the general task queue) and
// routed by the AdapterCluster. When it chooses a GPU, the executor set here
// hands the task to that GPU's worker thread (Scheduler::run_on_device) and
// waits for it; if the GPU has no running worker (a reload removed it), the
// waiting thread runs it on the GPU itself.
#pragma once

#include <string>
#include <vector>

#include "daemon/device_setup.h"
#include "scheduler/scheduler.h"
#include "vgpu/jarvis.h"

namespace synthminer::daemon {

/// One routable device and how to run a task on it.
struct VgpuDevice {
  jarvis::AdapterDevice device;  ///< measured throughput per operation kind
  jarvis::DeviceLink link;       ///< measured host-to-device transfer
  std::string worker;            ///< the scheduler device whose thread runs its tasks
  jarvis::DeviceExecutor run;    ///< runs one task on the device; thread-safe
};

/// Adds each device to `jarvis`'s cluster with an executor that runs its
/// tasks on the scheduler worker named `worker`. A device whose id is
/// already in the cluster is skipped; returns the ids added.
std::vector<std::string> attach_vgpu_devices(jarvis::Jarvis5090X& jarvis,
                                             scheduler::Scheduler& scheduler,
                                             std::vector<VgpuDevice> devices);

/// The CUDA devices among `mining`, calibrated for the vgpu layer. A device
/// that cannot be measured is left out with a note (so is everything when
/// CUDA is not built). `calibration_seconds` per operation kind.
std::vector<VgpuDevice> cuda_vgpu_devices(const DeviceSetup& mining,
                                          const jarvis::JarvisConfig& config,
                                          double calibration_seconds,
                                          std::vector<std::string>& notes);

}  // namespace synthminer::daemon
