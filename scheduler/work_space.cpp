#include "scheduler/work_space.h"

#include <algorithm>
#include <cassert>

namespace synthminer::scheduler {

std::pair<WorkUnit, WorkUnit> split(const WorkUnit& unit, uint64_t first_count) {
  assert(first_count > 0 && first_count < unit.nonce_count);
  WorkUnit first = unit;
  WorkUnit second = unit;
  first.nonce_count = first_count;
  second.nonce_start = static_cast<uint32_t>(unit.nonce_start + first_count);
  second.nonce_count = unit.nonce_count - first_count;
  return {std::move(first), std::move(second)};
}

uint64_t Batch::nonces() const {
  uint64_t total = 0;
  for (const WorkUnit& unit : units) total += unit.nonce_count;
  return total;
}

void WorkSpace::set_job(std::shared_ptr<const JobContext> job) {
  std::lock_guard lock(mutex_);
  job_ = std::move(job);
  next_free_group_ = job_ ? std::min(job_->first_extranonce2, job_->extranonce2_count) : 0;
  midstate_ = job_ ? next_free_group_ * job_->version_rolls : 0;
  next_nonce_ = 0;
  given_back_.clear();
  rolls_.reset();
  reserved_.clear();
  stats_.exhausted = !job_ || midstate_ >= job_->midstate_count;
}

uint64_t WorkSpace::untouched_extranonce2() const {
  std::lock_guard lock(mutex_);
  if (!job_) return 0;
  return first_untouched_group_locked();
}

uint64_t WorkSpace::first_untouched_group_locked() const {
  const uint32_t rolls = job_->version_rolls;
  uint64_t group = midstate_ / rolls;
  if (midstate_ % rolls != 0 || next_nonce_ != 0) ++group;
  return std::max(group, next_free_group_);
}

std::optional<WorkUnit> WorkSpace::take(uint64_t max_nonces) {
  std::lock_guard lock(mutex_);
  return take_locked(max_nonces);
}

Batch WorkSpace::take_batch(uint64_t max_nonces) {
  std::lock_guard lock(mutex_);
  return take_batch_locked(max_nonces);
}

Batch WorkSpace::take_roll_batch(uint64_t max_nonces) {
  std::lock_guard lock(mutex_);
  if (!given_back_.empty() || !job_ || job_->version_rolls < 2 || max_nonces == 0) {
    return take_batch_locked(max_nonces);
  }
  if (!rolls_ && !reserve_rolls_locked()) return take_batch_locked(max_nonces);
  const uint32_t rolls = job_->version_rolls;
  const uint64_t each =
      std::clamp<uint64_t>(max_nonces / rolls, 1, kNoncesPerMidstate - rolls_->next_nonce);
  Batch batch;
  batch.rolls = true;
  for (uint32_t i = 0; i < rolls; ++i) {
    batch.units.push_back(WorkUnit{job_->work.job.job_id, job_->sequence,
                                   rolls_->first_midstate + i,
                                   static_cast<uint32_t>(rolls_->next_nonce), each});
  }
  if (rolls_->next_nonce == 0) stats_.midstates_started += rolls;
  stats_.nonces_handed_out += each * rolls;
  rolls_->next_nonce += each;
  if (rolls_->next_nonce == kNoncesPerMidstate) {
    rolls_.reset();
    stats_.exhausted = midstate_ >= job_->midstate_count;
  }
  return batch;
}

// The first extranonce2 value the cursor has not entered and nobody has
// reserved; false when there is none left.
bool WorkSpace::reserve_rolls_locked() {
  const uint32_t rolls = job_->version_rolls;
  const uint64_t group = first_untouched_group_locked();
  if (group >= job_->extranonce2_count) return false;
  next_free_group_ = group + 1;
  reserved_.insert(group * rolls);
  rolls_ = RollGroup{group * rolls, 0};
  skip_reserved_locked();
  return true;
}

// Moves the cursor past reserved groups it stands at the start of.
void WorkSpace::skip_reserved_locked() {
  while (next_nonce_ == 0 && !reserved_.empty() && *reserved_.begin() <= midstate_) {
    if (*reserved_.begin() == midstate_) midstate_ += job_->version_rolls;
    reserved_.erase(reserved_.begin());
  }
  stats_.exhausted = midstate_ >= job_->midstate_count && !rolls_;
}

Batch WorkSpace::take_batch_locked(uint64_t max_nonces) {
  Batch batch;
  uint64_t left = max_nonces;
  while (left > 0) {
    if (!batch.empty()) {
      const auto next = next_midstate_locked();
      if (!next || *next != batch.units.front().midstate_id) break;
    }
    auto unit = take_locked(left);
    if (!unit) break;
    left -= unit->nonce_count;
    batch.units.push_back(std::move(*unit));
  }
  return batch;
}

void WorkSpace::give_back(WorkUnit unit) {
  std::lock_guard lock(mutex_);
  if (!job_ || unit.job_sequence != job_->sequence || unit.nonce_count == 0) return;
  stats_.nonces_given_back += unit.nonce_count;
  given_back_.push_back(std::move(unit));
}

WorkSpaceStats WorkSpace::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::optional<uint64_t> WorkSpace::next_midstate_locked() const {
  if (!given_back_.empty()) return given_back_.front().midstate_id;
  if (!job_ || midstate_ >= job_->midstate_count) return std::nullopt;
  return midstate_;
}

std::optional<WorkUnit> WorkSpace::take_locked(uint64_t max_nonces) {
  if (max_nonces == 0) return std::nullopt;
  if (!given_back_.empty()) {
    WorkUnit unit = std::move(given_back_.front());
    given_back_.pop_front();
    if (unit.nonce_count > max_nonces) {
      auto [first, rest] = split(unit, max_nonces);
      given_back_.push_front(std::move(rest));
      unit = std::move(first);
    }
    stats_.nonces_handed_out += unit.nonce_count;
    return unit;
  }
  if (!job_ || midstate_ >= job_->midstate_count) return std::nullopt;
  if (next_nonce_ == 0) ++stats_.midstates_started;
  WorkUnit unit{job_->work.job.job_id, job_->sequence, midstate_,
                static_cast<uint32_t>(next_nonce_),
                std::min(max_nonces, kNoncesPerMidstate - next_nonce_)};
  next_nonce_ += unit.nonce_count;
  if (next_nonce_ == kNoncesPerMidstate) {
    next_nonce_ = 0;
    ++midstate_;
    skip_reserved_locked();
  }
  stats_.nonces_handed_out += unit.nonce_count;
  return unit;
}

}  // namespace synthminer::scheduler
