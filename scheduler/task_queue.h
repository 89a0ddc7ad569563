// TaskQueue: work that goes ahead of mining on the device workers (the
// vgpu layer's requests). A worker takes one task before each mining
// batch, so a task waits at most one batch (~50 ms) for a free worker.
//
// Two kinds of task: general ones, which any worker that takes tasks may
// run, and addressed ones, which only the worker of one named device runs
// (a GPU's host thread, for work routed to that GPU). push_to() queues an
// addressed task and returns: nobody waits for it, it reports its own
// result. run_on() queues one and waits for it. So that nothing waits forever on a
// device that is gone (a reload removed it, or shutdown stopped it), each
// worker attaches its name while it runs; a waiter whose device is not
// attached (or that has not taken the task in time) claims the task and runs
// it on its own thread. A task runs exactly once: the worker and the waiter
// race for it with a claim. A push_to() task has no waiter: when its device
// is not attached it goes to the general queue, and when its device detaches
// before taking it, it moves there, so it still runs exactly once.
//
// Design: one mutex around the queues and the attached names; tasks are
// rare next to batches.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace synthminer::scheduler {

class TaskQueue {
 public:
  using Task = std::function<void()>;

  /// Queues a general `task` (any thread). It runs on a worker thread and
  /// must not throw; it reports its own result.
  void push(Task task);

  /// Queues `task` for the worker of `device` (any thread) and returns at
  /// once. When that worker is not attached, or detaches before taking it,
  /// the task becomes a general one instead; either way it runs exactly once.
  /// It must not throw; it reports its own result.
  void push_to(const std::string& device, Task task);

  /// The next task for the worker of `device`: one addressed to it first,
  /// then, when `general`, the oldest general task.
  std::optional<Task> pop(std::string_view device, bool general);
  /// The oldest general task, if any.
  std::optional<Task> pop() { return pop({}, true); }

  /// Runs `task` on the worker of `device`, ahead of its next batch, and
  /// returns once it has run. When that worker is not attached, detaches
  /// before taking it, or has not taken it within `max_wait` (a worker stuck
  /// in a batch), the task runs on the calling thread instead. Returns true
  /// when the device's worker ran it. Must not be called by the worker of
  /// `device` itself.
  bool run_on(const std::string& device, Task task,
              std::chrono::milliseconds max_wait = kDefaultMaxWait);
  static constexpr std::chrono::milliseconds kDefaultMaxWait{5000};

  /// Worker threads: `device`'s worker runs (attach) or has stopped (detach).
  void attach(const std::string& device);
  void detach(const std::string& device);
  bool attached(const std::string& device) const;

  /// Tasks waiting (general and addressed).
  size_t size() const;

  /// Hears how long each task ran on which device's worker (for a busy-time
  /// counter). Called on worker threads; must not block. Any thread may set it.
  using TimeObserver = std::function<void(std::string_view device, double seconds)>;
  void set_time_observer(TimeObserver observer);
  /// Worker threads: a task ran on `device`'s worker for `seconds`.
  void ran(std::string_view device, double seconds) const;

 private:
  // One addressed task, shared by the queue entry and its waiter.
  struct Addressed {
    Task task;
    bool claimed = false;  // guarded by mutex_
    bool done = false;     // guarded by mutex_
    bool waited = false;   // run_on(): a waiter claims it if the device goes
  };
  void finish(Addressed& entry);
  /// `device` has just detached: its queued push_to() tasks go to general_.
  /// Called with mutex_ held.
  void hand_over_unwaited(const std::string& device);

  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::deque<Task> general_;
  std::map<std::string, std::deque<std::shared_ptr<Addressed>>, std::less<>> addressed_;
  std::map<std::string, int, std::less<>> attached_;
  std::shared_ptr<const TimeObserver> time_observer_;  // copied out under mutex_, called outside
};

}  // namespace synthminer::scheduler
