// CpuWorker: one thread driving one ScanDevice. It takes a batch sized by
// its BatchSizer, scans it in sub-batches of about sub_batch_seconds,
// checks the job generation between sub-batches (a clean job abandons the
// rest of the batch), verifies every candidate, records the rate, and
// reports through the callback. It never touches sockets.
//
// Design: the thread owns the device and the sizer; it reaches shared
// state only through WorkerShared (mutex-guarded work space, precompute
// and verifier, the atomic generation) and its own atomic stop flag.
// stop() sets the flag and joins; the destructor stops.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "scheduler/batch_sizer.h"
#include "scheduler/scan_device.h"
#include "scheduler/worker_report.h"

namespace synthminer::scheduler {

class CpuWorker {
 public:
  /// `shared` must outlive the worker.
  CpuWorker(std::unique_ptr<ScanDevice> device, BatchSizerOptions sizing, WorkerShared& shared);
  ~CpuWorker();
  CpuWorker(const CpuWorker&) = delete;
  CpuWorker& operator=(const CpuWorker&) = delete;

  /// Starts the thread (once).
  void start();
  /// Asks the thread to finish its sub-batch, gives back the rest, joins.
  void stop();
  /// The sizer's rate estimate, hashes per second; any thread.
  double rate() const { return rate_.load(std::memory_order_relaxed); }

 private:
  void run();
  /// Scans one batch; false when there was no work.
  bool run_batch();

  std::unique_ptr<ScanDevice> device_;
  BatchSizer sizer_;
  WorkerShared& shared_;
  std::atomic<bool> stop_{false};
  std::atomic<double> rate_{0};
  std::thread thread_;
};

}  // namespace synthminer::scheduler
