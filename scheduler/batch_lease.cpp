#include "scheduler/batch_lease.h"

namespace synthminer::scheduler {

void BatchLease::begin(const Batch& batch, Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  active_ = true;
  revoked_ = false;
  deadline_ = deadline;
  rolls_ = batch.rolls;
  remaining_.assign(batch.units.begin(), batch.units.end());
  in_progress_.clear();
}

std::vector<WorkUnit> BatchLease::next_pieces(uint64_t max_nonces) {
  std::lock_guard lock(mutex_);
  in_progress_.clear();
  const size_t units = rolls_ ? remaining_.size() : 1;
  for (size_t i = 0; i < units; ++i) {
    auto piece = take_locked(max_nonces);
    if (!piece) break;
    in_progress_.push_back(std::move(*piece));
  }
  return in_progress_;
}

// The first max_nonces of the front unit; a split unit's rest goes to the
// back in a roll batch (so the next unit comes next) and stays in front
// otherwise.
std::optional<WorkUnit> BatchLease::take_locked(uint64_t max_nonces) {
  if (!active_ || revoked_ || remaining_.empty()) return std::nullopt;
  WorkUnit front = std::move(remaining_.front());
  remaining_.pop_front();
  if (front.nonce_count <= max_nonces) return front;
  auto [piece, rest] = split(front, max_nonces);
  if (rolls_) {
    remaining_.push_back(std::move(rest));
  } else {
    remaining_.push_front(std::move(rest));
  }
  return piece;
}

bool BatchLease::finish_piece() {
  std::lock_guard lock(mutex_);
  in_progress_.clear();
  return !revoked_;
}

std::vector<WorkUnit> BatchLease::end() {
  std::lock_guard lock(mutex_);
  std::vector<WorkUnit> left;
  if (!revoked_) {
    left = std::move(in_progress_);
    left.insert(left.end(), remaining_.begin(), remaining_.end());
  }
  active_ = false;
  remaining_.clear();
  in_progress_.clear();
  return left;
}

std::vector<WorkUnit> BatchLease::revoke_if_overdue(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::vector<WorkUnit> left;
  if (!active_ || revoked_ || now < deadline_) return left;
  if (in_progress_.empty() && remaining_.empty()) return left;  // done, about to report
  revoked_ = true;
  left = std::move(in_progress_);
  left.insert(left.end(), remaining_.begin(), remaining_.end());
  in_progress_.clear();
  remaining_.clear();
  return left;
}

bool BatchLease::revoked() const {
  std::lock_guard lock(mutex_);
  return revoked_;
}

}  // namespace synthminer::scheduler
