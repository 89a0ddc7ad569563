// AdapterCluster: chooses the device for each task by earliest estimated
// finish time, in the spirit of HEFT and StarPU's dmda policy.
//
// Design. Each device has a measured throughput per OperationKind (work
// units per second: FLOP/s, or bytes/s for hashing), a link (latency and
// bandwidth; host devices share memory and pay nothing) and a queue: the
// estimated seconds of work assigned to it and not yet completed. assign()
// picks, among the devices capable of the task's kind, the one minimising
//   queue + link latency + input bytes / bandwidth + work / throughput
// and adds the estimate to its queue; complete() removes it and folds the
// measured run time into the throughput (EWMA), so the model learns. A task
// whose estimated run time on a CPU is below `tiny_task_seconds` stays on
// the least loaded CPU device when one is capable. One mutex guards the
// device table; assign and complete are thread-safe.
//
// Host devices (Cpu, and Virtual ones, which are logical queues onto the
// host) with unmeasured kinds are calibrated at construction: a few
// milliseconds of real work per kind (calibrate_host). Gpu devices are
// added with their own measured throughput (add_device).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vgpu/types.h"

namespace jarvis {

struct ClusterOptions {
  double tiny_task_seconds = 50e-6;    ///< below this estimated CPU time a task stays on the CPU
  double calibration_seconds = 0.005;  ///< per operation kind, host calibration
  double learning_rate = 0.2;          ///< EWMA weight of a measured run in the throughput model
  bool calibrate = true;               ///< calibrate host devices with unmeasured kinds
};

/// How data reaches a device: zero bandwidth means it shares host memory.
struct DeviceLink {
  double latency_seconds = 0.0;
  double bytes_per_second = 0.0;
};

/// What the scheduler knows of a task before it runs.
struct TaskCost {
  OperationKind kind = OperationKind::Generic;
  double work = 0.0;         ///< FLOPs (bytes for hashing)
  double input_bytes = 0.0;  ///< bytes a non-host device must receive
};

struct Assignment {
  size_t device = 0;  ///< index into devices()
  std::string device_id;
  double estimated_seconds = 0.0;  ///< transfer + run estimate
  double estimated_finish = 0.0;   ///< queue + estimate, seconds from now
};

/// Host throughput per kind measured by a short run of real work
/// (`seconds` per kind): dense matmul (FLOP/s), sum of doubles (FLOP/s),
/// SHA-256 (bytes/s), and complex butterflies like a one-qubit gate (FLOP/s).
std::array<double, 4> calibrate_host(double seconds);

class AdapterCluster {
 public:
  explicit AdapterCluster(std::vector<AdapterDevice> devices, ClusterOptions options = {});

  /// The host CPU as one calibrated device ("cpu_main", every kind but quantum
  /// unless `with_quantum`).
  static AdapterDevice host_cpu(bool with_quantum = true, double calibration_seconds = 0.005);

  /// Adds a device (e.g. a CUDA GPU whose throughput the caller measured).
  /// Returns its index. Ids must be unique; a duplicate id replaces nothing and returns npos.
  size_t add_device(AdapterDevice device, DeviceLink link = {});

  /// Chooses a device for `task` and queues its estimate there; nullopt when
  /// no device is capable of task.kind.
  std::optional<Assignment> assign(const TaskCost& task);
  /// Marks an assignment done after `measured_seconds` of run time.
  void complete(const Assignment& assignment, const TaskCost& task, double measured_seconds);

  std::vector<AdapterDevice> devices() const;
  /// Per device: id, kind, perf_score, throughput by kind, queued seconds, tasks by kind.
  nlohmann::json to_json() const;
  const ClusterOptions& options() const { return options_; }

 private:
  struct Slot {
    AdapterDevice device;
    DeviceLink link;
    double queued_seconds = 0.0;
    std::array<uint64_t, 4> tasks{};
  };
  double throughput(const Slot& slot, OperationKind kind) const;
  double run_estimate(const Slot& slot, const TaskCost& task) const;

  ClusterOptions options_;
  mutable std::mutex mu_;  // guards slots_
  std::vector<Slot> slots_;
};

}  // namespace jarvis
