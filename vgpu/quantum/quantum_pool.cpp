#include "vgpu/quantum/quantum_pool.h"

namespace jarvis::quantum {

WorkerPool::WorkerPool(unsigned threads) {
  const unsigned extra = threads > 1 ? threads - 1 : 0;
  workers_.reserve(extra);
  for (unsigned w = 1; w <= extra; ++w) workers_.emplace_back([this, w] { worker_loop(w); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void WorkerPool::run_slice(unsigned worker) {
  const uint64_t n = size();
  const uint64_t begin = count_ * worker / n;
  const uint64_t end = count_ * (worker + 1) / n;
  if (begin < end) (*fn_)(begin, end, worker);
}

void WorkerPool::parallel_for(uint64_t count,
                              const std::function<void(uint64_t, uint64_t, unsigned)>& fn) {
  if (workers_.empty() || count <= 1) {
    if (count > 0) fn(0, count, 0);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    count_ = count;
    fn_ = &fn;
    pending_ = static_cast<unsigned>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  run_slice(0);
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return pending_ == 0; });
  fn_ = nullptr;
}

void WorkerPool::worker_loop(unsigned worker) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    run_slice(worker);
    {
      std::lock_guard lock(mutex_);
      --pending_;
    }
    done_.notify_one();
  }
}

}  // namespace jarvis::quantum
