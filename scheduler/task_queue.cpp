#include "scheduler/task_queue.h"

#include <algorithm>

namespace synthminer::scheduler {

void TaskQueue::push(Task task) {
  std::lock_guard lock(mutex_);
  general_.push_back(std::move(task));
}

void TaskQueue::push_to(const std::string& device, Task task) {
  std::lock_guard lock(mutex_);
  if (attached_.count(device) == 0) {
    general_.push_back(std::move(task));
    return;
  }
  auto entry = std::make_shared<Addressed>();
  entry->task = std::move(task);
  addressed_[device].push_back(std::move(entry));
}

std::optional<TaskQueue::Task> TaskQueue::pop(std::string_view device, bool general) {
  std::lock_guard lock(mutex_);
  if (!device.empty()) {
    if (auto it = addressed_.find(device); it != addressed_.end()) {
      auto& queue = it->second;
      while (!queue.empty()) {
        std::shared_ptr<Addressed> entry = std::move(queue.front());
        queue.pop_front();
        if (entry->claimed) continue;  // its waiter ran it already
        entry->claimed = true;
        return Task([this, entry] {
          entry->task();
          finish(*entry);
        });
      }
    }
  }
  if (!general || general_.empty()) return std::nullopt;
  Task task = std::move(general_.front());
  general_.pop_front();
  return task;
}

bool TaskQueue::run_on(const std::string& device, Task task, std::chrono::milliseconds max_wait) {
  auto entry = std::make_shared<Addressed>();
  entry->task = std::move(task);
  entry->waited = true;
  std::unique_lock lock(mutex_);
  if (attached_.count(device) != 0) {
    addressed_[device].push_back(entry);
    // Woken when a task finishes or a worker detaches; past the deadline an
    // untaken task is the waiter's.
    const auto deadline = std::chrono::steady_clock::now() + max_wait;
    const auto finished_or_ours = [&] {
      return entry->done || (!entry->claimed && !attached_.count(device));
    };
    if (!done_.wait_until(lock, deadline, finished_or_ours) && entry->claimed) {
      done_.wait(lock, [&] { return entry->done; });  // the worker has it: let it finish
    }
    if (entry->done) return true;
    auto& queue = addressed_[device];
    queue.erase(std::remove(queue.begin(), queue.end(), entry), queue.end());
  }
  entry->claimed = true;
  lock.unlock();
  entry->task();
  return false;
}

void TaskQueue::finish(Addressed& entry) {
  {
    std::lock_guard lock(mutex_);
    entry.done = true;
  }
  done_.notify_all();
}

void TaskQueue::attach(const std::string& device) {
  std::lock_guard lock(mutex_);
  ++attached_[device];
}

void TaskQueue::detach(const std::string& device) {
  {
    std::lock_guard lock(mutex_);
    auto it = attached_.find(device);
    if (it != attached_.end() && --it->second <= 0) {
      attached_.erase(it);
      hand_over_unwaited(device);
    }
  }
  done_.notify_all();
}

void TaskQueue::hand_over_unwaited(const std::string& device) {
  auto it = addressed_.find(device);
  if (it == addressed_.end()) return;
  auto& queue = it->second;
  // Waited tasks stay for their waiters (run_on() removes them); the others
  // become general tasks, in their order.
  for (auto entry = queue.begin(); entry != queue.end();) {
    if ((*entry)->waited || (*entry)->claimed) {
      ++entry;
      continue;
    }
    general_.push_back(std::move((*entry)->task));
    entry = queue.erase(entry);
  }
  if (queue.empty()) addressed_.erase(it);
}

bool TaskQueue::attached(const std::string& device) const {
  std::lock_guard lock(mutex_);
  return attached_.count(device) != 0;
}

void TaskQueue::set_time_observer(TimeObserver observer) {
  auto shared = observer ? std::make_shared<const TimeObserver>(std::move(observer)) : nullptr;
  std::lock_guard lock(mutex_);
  time_observer_ = std::move(shared);
}

void TaskQueue::ran(std::string_view device, double seconds) const {
  std::shared_ptr<const TimeObserver> observer;
  {
    std::lock_guard lock(mutex_);
    observer = time_observer_;
  }
  if (observer) (*observer)(device, seconds);
}

size_t TaskQueue::size() const {
  std::lock_guard lock(mutex_);
  size_t waiting = general_.size();
  for (const auto& [name, queue] : addressed_)
    for (const auto& entry : queue) waiting += entry->claimed ? 0 : 1;
  return waiting;
}

}  // namespace synthminer::scheduler
