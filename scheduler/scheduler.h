// Scheduler: the synthetic GPU layer's front. It takes jobs from the pool
// client, precomputes their midstates, hands the nonce space out in
// batches to one worker per device, verifies every candidate on the CPU
// and reports each batch (hashes, time, shares, hardware errors) through
// a callback. A stall monitor takes the unfinished work of a batch that
// runs far past its expected time and hands it to the other devices.
// Queued tasks (the vgpu layer's) run on the workers ahead of mining.
//
// Design: set_job()/clear_job() may be called from any thread (the daemon
// calls them on its io thread) and never block on hashing: they bump the
// atomic generation, then swap the job in the mutex-guarded Precompute and
// WorkSpace. Each worker runs on its own thread (DeviceWorker), and the
// stall monitor on one more; the callbacks run on those threads and must
// not block. Devices are added before start() only.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "scheduler/batch_sizer.h"
#include "scheduler/device_worker.h"
#include "scheduler/scan_device.h"
#include "scheduler/task_queue.h"
#include "scheduler/worker_report.h"

namespace synthminer::scheduler {

struct SchedulerOptions {
  size_t precompute_capacity = 64;  ///< midstates kept
  HealthPolicy health;
  WorkerTiming timing;
};

/// One device's figures, for telemetry and the API.
struct DeviceStatus {
  std::string name;
  double rate = 0;      ///< estimated hashes per second
  uint64_t stalls = 0;  ///< batches taken away as stalled
  DeviceReport health;  ///< hardware errors and state
};

class Scheduler {
 public:
  /// `report` hears every batch; `on_share` (optional) each share the
  /// moment it is verified; `on_stall` (optional) each stalled batch. All
  /// run on worker or monitor threads and must not block.
  Scheduler(SchedulerOptions options, ReportCallback report, ShareCallback on_share = {},
            StallCallback on_stall = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Adds a device and its worker; before start() only.
  void add_device(std::unique_ptr<ScanDevice> device, WorkerOptions options);
  void add_device(std::unique_ptr<ScanDevice> device, BatchSizerOptions sizing) {
    add_device(std::move(device), WorkerOptions{sizing, std::nullopt, true});
  }
  /// Starts every worker thread and the stall monitor.
  void start();
  /// A live change of devices and options (config reload): stops the
  /// workers (each gives back its unfinished units; verified shares were
  /// already handed over), replaces them and the timing and health policy,
  /// and starts again if it was running. The job, its midstates and the
  /// work space carry on. Blocks for at most one piece per worker.
  void reconfigure(std::vector<std::pair<std::unique_ptr<ScanDevice>, WorkerOptions>> devices,
                   SchedulerOptions options);
  /// Stops and joins every worker and the monitor; idempotent.
  void stop();

  /// Makes `work` the job to mine (its generation is set here: a clean
  /// job starts a new one and abandons older work), from extranonce2 value
  /// `first_extranonce2` on. Returns the generation.
  uint64_t set_job(protocol::WorkItem work, uint64_t first_extranonce2 = 0);
  /// Stops handing out work until the next job (e.g. the pool is gone).
  void clear_job();
  /// WorkSpace::untouched_extranonce2 of the current job: pass it as the
  /// first_extranonce2 of the same job to resume without mining anything twice.
  uint64_t untouched_extranonce2() const { return space_.untouched_extranonce2(); }

  /// Queues a task to run on a worker ahead of mining (any thread).
  void submit_task(TaskQueue::Task task) { tasks_.push(std::move(task)); }
  /// Queues `task` for the worker of device `device`, ahead of its next
  /// batch, and returns; a general task when that worker is not running
  /// (TaskQueue::push_to).
  void submit_task_to(const std::string& device, TaskQueue::Task task) {
    tasks_.push_to(device, std::move(task));
  }
  /// Runs `task` on the worker of device `device` ahead of its next batch and
  /// waits; on the calling thread if that device has no running worker
  /// (TaskQueue::run_on). True when the device's worker ran it.
  bool run_on_device(const std::string& device, TaskQueue::Task task) {
    return tasks_.run_on(device, std::move(task));
  }
  size_t queued_tasks() const { return tasks_.size(); }
  /// The most of each worker's recent busy time tasks may take, in (0, 1]
  /// (vgpu.max_share; 1, the default, is no limit). A worker over it mines
  /// and leaves the task to wait (or to another worker). Any thread.
  void set_task_max_share(double share) { task_max_share_.store(share); }
  /// Hears each task's run time per device (TaskQueue::set_time_observer).
  void set_task_time_observer(TaskQueue::TimeObserver observer) {
    tasks_.set_time_observer(std::move(observer));
  }

  /// Each device's estimated rate, hashes per second, in add_device order.
  std::vector<double> rates() const;
  std::vector<DeviceStatus> device_statuses() const;
  const Verifier& verifier() const { return verifier_; }
  PrecomputeStats precompute_stats() const { return precompute_.stats(); }
  WorkSpaceStats work_stats() const { return space_.stats(); }

 private:
  void monitor_stalls();

  std::mutex job_mutex_;  ///< orders concurrent set_job/clear_job calls
  JobGeneration generation_;
  Precompute precompute_;
  WorkSpace space_;
  Verifier verifier_;
  TaskQueue tasks_;
  std::atomic<double> task_max_share_{1.0};
  WorkerShared shared_;
  StallCallback on_stall_;
  std::vector<std::unique_ptr<DeviceWorker>> workers_;
  std::mutex monitor_mutex_;
  std::condition_variable monitor_wake_;
  bool monitor_stop_ = false;  ///< guarded by monitor_mutex_
  bool running_ = false;
  std::thread monitor_;
};

}  // namespace synthminer::scheduler
