// What a worker reports after each batch, and the shared parts it works
// from. Reports are built on the worker thread and handed to a callback
// that must not block (the daemon asio::posts them to its io thread).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scheduler/device_health.h"
#include "scheduler/generation.h"
#include "scheduler/precompute.h"
#include "scheduler/task_queue.h"
#include "scheduler/verifier.h"
#include "scheduler/work_space.h"

namespace synthminer::scheduler {

struct WorkerReport {
  std::string device;
  std::string job_id;
  uint64_t generation = 0;
  uint64_t midstate_id = 0;
  uint64_t batch_nonces = 0;  ///< nonces the batch held
  uint64_t hashes = 0;        ///< nonces hashed (less when abandoned)
  double seconds = 0;         ///< wall time of the batch
  bool abandoned = false;     ///< a clean job or stop cut it short
  bool stalled = false;       ///< the stall monitor took the rest away
  std::vector<Verification> candidates;
  /// Candidates past WorkerTiming::max_candidates_per_batch, dropped unverified.
  uint64_t candidates_held_back = 0;
  DeviceState state = DeviceState::kHealthy;        ///< the device's health after the batch
  std::chrono::steady_clock::time_point started{};  ///< when the batch began hashing
};

/// A verified share, handed over the moment it is found rather than with
/// its batch's report, so it reaches the pool without waiting for the batch.
struct FoundShare {
  std::string device;
  Verification verification;  ///< fate kShare
  std::chrono::steady_clock::time_point found{};
  protocol::JobRef origin;  ///< its job, for the source that issued it (job_ref)
};

/// Called on a worker thread for each share as it is found; must not block.
using ShareCallback = std::function<void(FoundShare)>;

/// Called on a worker thread once per batch; must not block.
using ReportCallback = std::function<void(WorkerReport)>;

struct WorkerTiming {
  double sub_batch_seconds = 0.005;  ///< generation checks at least this often
  double idle_poll_seconds =
      0.002;  ///< wait for work when there is none (a new job waits at most this)
  double backoff_seconds = 0.5;  ///< pause between batches while backed off
  /// A batch running this many times its expected duration is stalled:
  /// its unfinished units go to the other devices.
  double stall_factor = 5;
  double min_stall_seconds = 0.5;     ///< never a stall sooner (scheduling jitter)
  double stall_check_seconds = 0.02;  ///< how often the monitor looks
  /// Candidates verified per batch at most: a pool difficulty near zero
  /// makes nearly every nonce one, and each costs a CPU hash.
  uint64_t max_candidates_per_batch = 256;
};

/// A batch taken from a stalled device: `nonces` went back to the queue.
struct StallEvent {
  std::string device;
  uint64_t nonces = 0;
};
/// Called on the stall monitor's thread; must not block.
using StallCallback = std::function<void(StallEvent)>;

/// The scheduler parts a worker uses; owned by the Scheduler, outliving
/// its workers. Each is thread-safe.
struct WorkerShared {
  Precompute& precompute;
  WorkSpace& space;
  const JobGeneration& generation;
  Verifier& verifier;
  ReportCallback report;
  WorkerTiming timing;
  ShareCallback on_share;      ///< optional
  TaskQueue* tasks = nullptr;  ///< optional: work ahead of mining
  /// The most of each worker's recent busy time tasks may take, in (0, 1]
  /// (vgpu.max_share); null: no limit.
  const std::atomic<double>* task_max_share = nullptr;
};

}  // namespace synthminer::scheduler
