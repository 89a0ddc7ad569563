// The devices of the vgpu layer besides the host CPU: each CUDA GPU that
// mining uses, measured at start-up (vgpu/cuda/cuda_vgpu_device.h) and run
// through its own mining worker, so vgpu work routed to a GPU goes ahead of
// that GPU's next mining batch.
//
// Design: a request is routed first (Jarvis5090X::route, on the thread that
// calls VgpuDispatch::submit: a CPU worker, for the API). A task routed to a
// device added here is queued on that device's worker (TaskQueue::push_to)
// and the routing thread moves on: nobody waits for it; the worker runs it
// and reports through the callback, as a task run on the CPU does. If the
// device has no running worker (a reload removed it, or shutdown stopped
// it), the task becomes a general one and a CPU worker runs it on the device
// itself, exactly once.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "devices/device_setup.h"
#include "scheduler/scheduler.h"
#include "vgpu/jarvis.h"

namespace synthminer::vgpu_service {

/// One routable device and how to run a task on it.
struct VgpuDevice {
  jarvis::AdapterDevice device;  ///< measured throughput per operation kind
  jarvis::DeviceLink link;       ///< measured host-to-device transfer
  std::string worker;            ///< the scheduler device whose thread runs its tasks
  jarvis::DeviceExecutor run;    ///< runs one task on the device; thread-safe
};

/// Runs each Jarvis task where its device is: on the device's scheduler
/// worker for the devices attached here, on the calling thread otherwise.
/// Thread-safe; `jarvis` and `scheduler` outlive it.
class VgpuDispatch {
 public:
  using Done = std::function<void(jarvis::SubmitResult)>;

  VgpuDispatch(jarvis::Jarvis5090X& jarvis, scheduler::Scheduler& scheduler)
      : jarvis_(jarvis), scheduler_(scheduler) {}

  /// Adds each device to the cluster with its executor; its tasks run on the
  /// scheduler worker named `worker`. A device whose id is already in the
  /// cluster is skipped; returns the ids added.
  std::vector<std::string> attach(std::vector<VgpuDevice> devices);

  /// Routes one workload (Jarvis5090X::route) and runs it where it was
  /// routed: queued on its device's worker (this returns at once) or here.
  /// `done` is called exactly once, on the thread that ran the task (here for
  /// an answer known at once: an error or a cache hit). `payload` must stay
  /// alive until `done` is called (let `done` hold it). `done` must not throw.
  /// The task runs under `stop` (RoutedTask::stop).
  void submit(std::string_view kind, std::string_view signature, const nlohmann::json& payload,
              Done done, jarvis::StopToken stop = {});

 private:
  jarvis::Jarvis5090X& jarvis_;
  scheduler::Scheduler& scheduler_;
  mutable std::mutex mutex_;                    // guards workers_
  std::map<std::string, std::string> workers_;  // device id -> scheduler worker
};

/// The CUDA devices among `mining`, calibrated for the vgpu layer. A device
/// that cannot be measured is left out with a note (so is everything when
/// CUDA is not built). `calibration_seconds` per operation kind.
std::vector<VgpuDevice> cuda_vgpu_devices(const devices::DeviceSetup& mining,
                                          const jarvis::JarvisConfig& config,
                                          double calibration_seconds,
                                          std::vector<std::string>& notes);

}  // namespace synthminer::vgpu_service
