// Scheduler: the synthetic GPU layer's front. It takes jobs from the pool
// client, precomputes their midstates, hands the nonce space out in
// batches to one worker per device, verifies every candidate on the CPU
// and reports each batch (hashes, time, shares, hardware errors) through
// a callback.
//
// Design: set_job()/clear_job() may be called from any thread (the daemon
// calls them on its io thread) and never block on hashing: they bump the
// atomic generation, then swap the job in the mutex-guarded Precompute and
// WorkSpace. Each worker runs on its own thread (CpuWorker); the report
// callback runs on those threads and must not block.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "scheduler/batch_sizer.h"
#include "scheduler/cpu_worker.h"
#include "scheduler/scan_device.h"
#include "scheduler/worker_report.h"

namespace synthminer::scheduler {

struct SchedulerOptions {
  size_t precompute_capacity = 64;  ///< midstates kept
  HealthPolicy health;
  WorkerTiming timing;
};

class Scheduler {
 public:
  /// `report` hears every batch; `on_share` (optional) each share the
  /// moment it is verified. Both run on worker threads and must not block.
  Scheduler(SchedulerOptions options, ReportCallback report, ShareCallback on_share = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Adds a device and its worker; before start() only.
  void add_device(std::unique_ptr<ScanDevice> device, BatchSizerOptions sizing);
  /// Starts every worker thread.
  void start();
  /// Stops and joins every worker; idempotent.
  void stop();

  /// Makes `input` the job to mine (its generation is set here: a clean
  /// job starts a new one and abandons older work). Returns the generation.
  uint64_t set_job(JobInput input);
  /// Stops handing out work until the next job (e.g. the pool is gone).
  void clear_job();

  /// Each device's estimated rate, hashes per second, in add_device order.
  std::vector<double> rates() const;
  const Verifier& verifier() const { return verifier_; }
  PrecomputeStats precompute_stats() const { return precompute_.stats(); }
  WorkSpaceStats work_stats() const { return space_.stats(); }

 private:
  std::mutex job_mutex_;  ///< orders concurrent set_job/clear_job calls
  JobGeneration generation_;
  Precompute precompute_;
  WorkSpace space_;
  Verifier verifier_;
  WorkerShared shared_;
  std::vector<std::unique_ptr<CpuWorker>> workers_;
};

}  // namespace synthminer::scheduler
