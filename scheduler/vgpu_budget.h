// VgpuBudget: how much of one worker's recent busy time went to vgpu tasks,
// so that the worker takes a task ahead of its next mining batch only while
// that share is under vgpu.max_share. Mining keeps at least 1 - max_share of
// a device whatever the load of vgpu requests (a task that runs long can
// overshoot by itself once; the share then stays over the budget until
// enough mining has run).
//
// The window is busy time, not wall time: the last `window_seconds` of task
// and batch durations the worker recorded. Idle time does not count, and no
// clock is read here, so tests feed it durations.
//
// Design: owned by one worker thread; not thread-safe.
#pragma once

#include <deque>

namespace synthminer::scheduler {

class VgpuBudget {
 public:
  static constexpr double kDefaultWindowSeconds = 4.0;
  /// Tasks are held to this fraction of max_share: after a task, mining runs
  /// a few percent slower for a while (cold caches, the other cores' memory
  /// traffic), 3-4 % of its rate at a 0.24 share of 256² matmuls (measured,
  /// docs/PERFORMANCE.md), so that much time is kept back for it.
  static constexpr double kTaskHeadroom = 0.85;

  explicit VgpuBudget(double window_seconds = kDefaultWindowSeconds)
      : window_seconds_(window_seconds) {}

  /// Whether a task may run now: vgpu's share of the window is under
  /// kTaskHeadroom * `max_share` (in (0, 1]; 1 lets every task through).
  bool allows_task(double max_share) const {
    return max_share >= 1 || share() < kTaskHeadroom * max_share;
  }
  /// A task ran for `seconds`.
  void record_task(double seconds) { record(true, seconds); }
  /// A mining batch ran for `seconds`.
  void record_mining(double seconds) { record(false, seconds); }
  /// Task seconds / busy seconds in the window; 0 when nothing was recorded.
  double share() const { return busy_ > 0 ? task_ / busy_ : 0; }

 private:
  struct Span {
    bool task;
    double seconds;
  };
  void record(bool task, double seconds);

  double window_seconds_;
  std::deque<Span> spans_;  // oldest first
  double task_ = 0;         // sum of the task spans
  double busy_ = 0;         // sum of all spans
};

}  // namespace synthminer::scheduler
