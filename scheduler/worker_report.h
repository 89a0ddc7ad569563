// What a worker reports after each batch, and the shared parts it works
// from. Reports are built on the worker thread and handed to a callback
// that must not block (the daemon asio::posts them to its io thread).
#pragma once

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
  DeviceState state = DeviceState::kHealthy;  ///< the device's health after the batch
};

/// Called on a worker thread once per batch; must not block.
using ReportCallback = std::function<void(WorkerReport)>;

struct WorkerTiming {
  double sub_batch_seconds = 0.005;  ///< generation checks at least this often
  double idle_poll_seconds = 0.020;  ///< wait for work when there is none
  double backoff_seconds = 0.5;      ///< pause between batches while backed off
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
};

}  // namespace synthminer::scheduler
