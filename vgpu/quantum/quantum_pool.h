// WorkerPool: a fixed team of threads for the simulator's data-parallel
// loops.
//
// Design: size()-1 std::threads plus the calling thread. parallel_for(count,
// fn) splits [0, count) into size() contiguous slices (slice w is
// [count*w/size, count*(w+1)/size)), wakes the workers by bumping a
// generation counter under the mutex, runs slice 0 itself, and returns once
// every worker has reported done. Only one parallel_for runs at a time (the
// owner calls it; it is not re-entrant). The destructor stops and joins the
// workers. fn must not throw.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace jarvis::quantum {

class WorkerPool {
 public:
  /// A pool of `threads` (at least 1; 1 runs everything on the caller).
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Calls fn(begin, end, worker) on each thread's slice of [0, count);
  /// worker is 0 .. size()-1. Returns when all slices are done.
  void parallel_for(uint64_t count, const std::function<void(uint64_t, uint64_t, unsigned)>& fn);

 private:
  void worker_loop(unsigned worker);
  void run_slice(unsigned worker);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  uint64_t generation_ = 0;
  unsigned pending_ = 0;
  bool stop_ = false;
  uint64_t count_ = 0;
  const std::function<void(uint64_t, uint64_t, unsigned)>* fn_ = nullptr;
  std::vector<std::thread> workers_;
};

}  // namespace jarvis::quantum
