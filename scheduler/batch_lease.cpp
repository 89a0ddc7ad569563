#include "scheduler/batch_lease.h"

namespace synthminer::scheduler {

void BatchLease::begin(const Batch& batch, Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  active_ = true;
  revoked_ = false;
  deadline_ = deadline;
  remaining_.assign(batch.units.begin(), batch.units.end());
  in_progress_.reset();
}

std::optional<WorkUnit> BatchLease::next(uint64_t max_nonces) {
  std::lock_guard lock(mutex_);
  if (!active_ || revoked_ || remaining_.empty()) return std::nullopt;
  WorkUnit& front = remaining_.front();
  if (front.nonce_count <= max_nonces) {
    in_progress_ = std::move(front);
    remaining_.pop_front();
  } else {
    auto [piece, rest] = split(front, max_nonces);
    in_progress_ = std::move(piece);
    front = std::move(rest);
  }
  return in_progress_;
}

bool BatchLease::finish_piece() {
  std::lock_guard lock(mutex_);
  in_progress_.reset();
  return !revoked_;
}

std::vector<WorkUnit> BatchLease::end() {
  std::lock_guard lock(mutex_);
  std::vector<WorkUnit> left;
  if (!revoked_) {
    if (in_progress_) left.push_back(std::move(*in_progress_));
    left.insert(left.end(), remaining_.begin(), remaining_.end());
  }
  active_ = false;
  remaining_.clear();
  in_progress_.reset();
  return left;
}

std::vector<WorkUnit> BatchLease::revoke_if_overdue(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::vector<WorkUnit> left;
  if (!active_ || revoked_ || now < deadline_) return left;
  if (!in_progress_ && remaining_.empty()) return left;  // done, about to report
  revoked_ = true;
  if (in_progress_) left.push_back(std::move(*in_progress_));
  left.insert(left.end(), remaining_.begin(), remaining_.end());
  in_progress_.reset();
  remaining_.clear();
  return left;
}

bool BatchLease::revoked() const {
  std::lock_guard lock(mutex_);
  return revoked_;
}

}  // namespace synthminer::scheduler
