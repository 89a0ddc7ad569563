// JobGeneration: the counter a clean job bumps. Workers read it between
// sub-batches and abandon a batch whose generation is behind; the verifier
// drops the shares of a generation that a clean job superseded.
//
// Design: one std::atomic<uint64_t>; written by the thread that installs
// jobs, read by every worker thread without a lock.
#pragma once

#include <atomic>
#include <cstdint>

namespace synthminer::scheduler {

class JobGeneration {
 public:
  /// The generation for a newly arrived job: a clean job starts a new
  /// generation (older work is stale), any other job keeps the current one.
  uint64_t on_job(bool clean_jobs) {
    if (clean_jobs) return value_.fetch_add(1, std::memory_order_acq_rel) + 1;
    return value_.load(std::memory_order_acquire);
  }
  /// The current generation; any thread.
  uint64_t current() const { return value_.load(std::memory_order_acquire); }
  /// True when work of `generation` was superseded by a clean job.
  bool is_stale(uint64_t generation) const { return generation < current(); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace synthminer::scheduler
