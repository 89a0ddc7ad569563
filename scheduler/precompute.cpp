#include "scheduler/precompute.h"

#include "protocol/work.h"

namespace synthminer::scheduler {

std::shared_ptr<const Midstate> build_midstate(std::shared_ptr<const JobContext> job, uint64_t id) {
  auto midstate = std::make_shared<Midstate>();
  const protocol::WorkItem& in = job->work;
  const uint64_t counter = id / job->version_rolls;
  const auto roll = static_cast<uint32_t>(id % job->version_rolls);
  midstate->midstate_id = id;
  midstate->extranonce2 = extranonce2_bytes(counter, in.extranonce.extranonce2_size);
  midstate->version = rolled_version(in.job.version, in.version_mask, roll);
  midstate->header = protocol::share_header(in.job, in.extranonce, midstate->extranonce2,
                                            midstate->version, in.job.ntime, 0);
  midstate->prepared =
      hashcore::prepare_scan(hashcore::scan_job_from_header(midstate->header, in.share_target));
  midstate->job = std::move(job);
  return midstate;
}

Precompute::Precompute(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::shared_ptr<const JobContext> Precompute::set_job(protocol::WorkItem work, uint64_t generation,
                                                      uint64_t first_extranonce2) {
  std::lock_guard lock(mutex_);
  drop_all_locked();
  job_ = make_job_context(std::move(work), next_sequence_++, generation, first_extranonce2);
  return job_;
}

std::shared_ptr<const JobContext> Precompute::current() const {
  std::lock_guard lock(mutex_);
  return job_;
}

void Precompute::clear() {
  std::lock_guard lock(mutex_);
  drop_all_locked();
  job_.reset();
}

std::shared_ptr<const Midstate> Precompute::midstate(const JobContext& job, uint64_t id) {
  std::lock_guard lock(mutex_);
  if (!job_ || job_->sequence != job.sequence || id >= job_->midstate_count) return nullptr;
  if (auto found = by_id_.find(id); found != by_id_.end()) {
    ++stats_.hits;
    lru_.splice(lru_.begin(), lru_, found->second);
    return *found->second;
  }
  ++stats_.misses;
  auto built = build_midstate(job_, id);
  lru_.push_front(built);
  by_id_[id] = lru_.begin();
  if (lru_.size() > capacity_) {
    by_id_.erase(lru_.back()->midstate_id);
    lru_.pop_back();
    ++stats_.dropped;
  }
  return built;
}

PrecomputeStats Precompute::stats() const {
  std::lock_guard lock(mutex_);
  PrecomputeStats stats = stats_;
  stats.size = lru_.size();
  return stats;
}

void Precompute::drop_all_locked() {
  stats_.dropped += lru_.size();
  lru_.clear();
  by_id_.clear();
}

}  // namespace synthminer::scheduler
