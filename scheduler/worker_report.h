// What a worker reports after each batch, and the shared parts it works
// from. Reports are built on the worker thread and handed to a callback
// that must not block (the daemon asio::posts them to its io thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scheduler/device_health.h"
#include "scheduler/generation.h"
#include "scheduler/precompute.h"
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
  std::vector<Verification> candidates;
  DeviceState state = DeviceState::kHealthy;        ///< the device's health after the batch
  std::chrono::steady_clock::time_point started{};  ///< when the batch began hashing
};

/// A verified share, handed over the moment it is found rather than with
/// its batch's report, so it reaches the pool without waiting for the batch.
struct FoundShare {
  std::string device;
  Verification verification;  ///< fate kShare
  std::chrono::steady_clock::time_point found{};
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
};

/// The scheduler parts a worker uses; owned by the Scheduler, outliving
/// its workers. Each is thread-safe.
struct WorkerShared {
  Precompute& precompute;
  WorkSpace& space;
  const JobGeneration& generation;
  Verifier& verifier;
  ReportCallback report;
  WorkerTiming timing;
  ShareCallback on_share;  ///< optional
};

}  // namespace synthminer::scheduler
