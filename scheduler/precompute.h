// Precompute: the per-job midstates. For each midstate_id of the current
// job (one extranonce2 value and one rolled version) it builds the header
// and the hashcore::PreparedScan once, and shares it read-only with every
// device. A bounded LRU cache keeps the recent ones; installing a new job
// (clean or not) or clearing drops every midstate of older jobs.
//
// Design: all state sits behind one mutex; a miss computes under the lock
// (a few SHA-256 blocks, microseconds). Handed-out midstates are
// shared_ptr<const Midstate>, so a worker keeps using one safely after the
// cache has dropped it.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "hashcore/backend.h"
#include "scheduler/job_context.h"

namespace synthminer::scheduler {

/// One (extranonce2, version) pair of a job, ready to scan.
struct Midstate {
  std::shared_ptr<const JobContext> job;
  uint64_t midstate_id = 0;
  std::vector<uint8_t> extranonce2;  ///< extranonce2_size bytes
  uint32_t version = 0;              ///< full header version (rolled bits applied)
  std::array<uint8_t, 80> header{};  ///< with nonce 0
  hashcore::PreparedScan prepared;   ///< against the job's share target
};

/// Builds midstate `id` of `job` (id < job->midstate_count) without caching.
std::shared_ptr<const Midstate> build_midstate(std::shared_ptr<const JobContext> job, uint64_t id);

struct PrecomputeStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t dropped = 0;  ///< midstates dropped by job changes and eviction
  size_t size = 0;       ///< midstates cached now
};

class Precompute {
 public:
  /// `capacity`: the most midstates kept (>= 1).
  explicit Precompute(size_t capacity = 64);

  /// Installs `work` as the current job, dropping all older midstates.
  std::shared_ptr<const JobContext> set_job(protocol::WorkItem work, uint64_t generation = 0,
                                            uint64_t first_extranonce2 = 0);
  /// The current job, or nullptr (none yet, or cleared).
  std::shared_ptr<const JobContext> current() const;
  /// Drops the current job and every midstate (e.g. the pool went away).
  void clear();

  /// Midstate `id` of `job`, cached. nullptr when `job` is not the current
  /// job or id >= job.midstate_count.
  std::shared_ptr<const Midstate> midstate(const JobContext& job, uint64_t id);

  PrecomputeStats stats() const;

 private:
  using Entry = std::shared_ptr<const Midstate>;
  void drop_all_locked();

  mutable std::mutex mutex_;
  size_t capacity_;
  uint64_t next_sequence_ = 1;
  std::shared_ptr<const JobContext> job_;
  std::list<Entry> lru_;  ///< most recent first
  std::map<uint64_t, std::list<Entry>::iterator> by_id_;
  PrecomputeStats stats_;
};

}  // namespace synthminer::scheduler
