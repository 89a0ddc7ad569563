#include "scheduler/vgpu_budget.h"

#include <algorithm>

namespace synthminer::scheduler {

void VgpuBudget::record(bool task, double seconds) {
  seconds = std::max(seconds, 0.0);
  spans_.push_back({task, seconds});
  busy_ += seconds;
  if (task) task_ += seconds;
  // Drop the oldest spans while the rest still cover the window.
  while (spans_.size() > 1 && busy_ - spans_.front().seconds >= window_seconds_) {
    busy_ -= spans_.front().seconds;
    if (spans_.front().task) task_ -= spans_.front().seconds;
    spans_.pop_front();
  }
  // Sums of many doubles drift; the window never holds negative time.
  task_ = std::clamp(task_, 0.0, busy_);
}

}  // namespace synthminer::scheduler
