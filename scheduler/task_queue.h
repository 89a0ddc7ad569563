// TaskQueue: work that goes ahead of mining on the device workers (the
// vgpu layer's requests). A worker takes one task before each mining
// batch, so a task waits at most one batch (~50 ms) for a free worker.
//
// Design: one mutex around a deque; tasks are rare next to batches.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace synthminer::scheduler {

class TaskQueue {
 public:
  using Task = std::function<void()>;

  /// Queues `task` (any thread). It runs on a worker thread and must not
  /// throw; it reports its own result.
  void push(Task task) {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  /// The oldest task, if any (worker threads).
  std::optional<Task> pop() {
    std::lock_guard lock(mutex_);
    if (tasks_.empty()) return std::nullopt;
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    return task;
  }
  size_t size() const {
    std::lock_guard lock(mutex_);
    return tasks_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Task> tasks_;
};

}  // namespace synthminer::scheduler
