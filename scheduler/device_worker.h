// DeviceWorker: one thread driving one ScanDevice (a CPU core or a GPU's
// host thread). Before each mining batch it runs any queued vgpu task
// addressed to its device, or else a general one if it takes those (tasks
// go ahead of mining; mining fills the idle time), but only while tasks
// took less than their share of its recent busy time (VgpuBudget; over it,
// a task waits for the next batch unless there is nothing to mine). It takes a batch
// sized by its BatchSizer, hashes it piece by piece through a BatchLease
// (a piece is about sub_batch_seconds of work, or the worker's own
// piece_seconds), checks the job generation
// between pieces (a clean job abandons the rest of the batch), verifies
// every candidate, records the rate and reports through the callback. It
// never touches sockets.
//
// Design: the thread owns the device and the sizer; it reaches shared
// state only through WorkerShared (mutex-guarded work space, precompute,
// verifier and task queue, the atomic generation), its own atomic stop
// flag, and its BatchLease, which the scheduler's stall monitor may revoke
// from another thread (the units then go to other devices and this
// worker drops the results of the piece it was on). stop() sets the flag
// and joins; the destructor stops.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include "scheduler/batch_lease.h"
#include "scheduler/batch_sizer.h"
#include "scheduler/scan_device.h"
#include "scheduler/vgpu_budget.h"
#include "scheduler/worker_report.h"

namespace synthminer::scheduler {

struct WorkerOptions {
  BatchSizerOptions sizing;
  std::optional<unsigned> pin_cpu;  ///< pin the thread to this CPU index
  bool runs_tasks = true;           ///< takes general vgpu tasks ahead of mining
                                    ///< (tasks addressed to this device: always)
  /// Runs at nice 10 so the io thread gets a core at once. A GPU's feeding
  /// thread, which sleeps while its device hashes, stays at the process's
  /// priority: it must wake the moment a kernel ends, not after a hasher's
  /// time slice.
  bool lowered_priority = true;
  /// Work per piece (between job-generation checks), seconds; 0: the
  /// scheduler's sub_batch_seconds. A GPU takes its whole batch at once:
  /// each piece costs it a wait and a partly idle last wave of blocks.
  double piece_seconds = 0;
};

class DeviceWorker {
 public:
  /// `shared` must outlive the worker.
  DeviceWorker(std::unique_ptr<ScanDevice> device, WorkerOptions options, WorkerShared& shared);
  ~DeviceWorker();
  DeviceWorker(const DeviceWorker&) = delete;
  DeviceWorker& operator=(const DeviceWorker&) = delete;

  /// Starts the thread (once).
  void start();
  /// Asks the thread to finish its piece, gives back the rest, joins.
  void stop();
  /// The sizer's rate estimate, hashes per second; any thread.
  double rate() const { return rate_.load(std::memory_order_relaxed); }
  std::string_view name() const { return device_->name(); }
  /// Stall monitor (any thread): revokes the batch if it is overdue and
  /// returns its unfinished units; empty when the worker is on time.
  std::vector<WorkUnit> revoke_if_stalled(BatchLease::Clock::time_point now) {
    return lease_.revoke_if_overdue(now);
  }
  /// Batches revoked as stalled so far; any thread.
  uint64_t stalls() const { return stalls_.load(std::memory_order_relaxed); }
  void count_stall() { stalls_.fetch_add(1, std::memory_order_relaxed); }

 private:
  void run();
  /// Scans one batch; false when there was no work.
  bool run_batch();
  /// Runs one queued task; false when there was none.
  bool run_task();
  /// Whether the task budget lets a task go ahead of the next batch.
  bool task_allowed() const;
  /// Seconds after which the batch of `nonces` counts as stalled.
  double stall_seconds(uint64_t nonces) const;
  double piece_seconds() const;

  std::unique_ptr<ScanDevice> device_;
  WorkerOptions options_;
  BatchSizer sizer_;
  WorkerShared& shared_;
  BatchLease lease_;
  VgpuBudget budget_;  // the worker thread's only
  std::atomic<bool> stop_{false};
  std::atomic<double> rate_{0};
  std::atomic<uint64_t> stalls_{0};
  std::thread thread_;
};

}  // namespace synthminer::scheduler
