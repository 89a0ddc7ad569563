// The task budget in the worker loop: with a stream of tasks always queued,
// a worker gives them at most vgpu.max_share of its busy time (measured by
// the worker itself: the task times it reports and its batches' seconds),
// and with nothing to mine it runs tasks whatever the budget.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "scheduler/scheduler.h"
#include "test_jobs.h"

namespace synthminer::scheduler {
namespace {

using namespace std::chrono_literals;

// Hashes nothing: sleeps as long as `rate` nonces/s would take.
class SleepingDevice : public ScanDevice {
 public:
  SleepingDevice(std::string name, double rate) : name_(std::move(name)), rate_(rate) {}
  std::string_view name() const override { return name_; }
  hashcore::ScanResult scan(const Midstate&, hashcore::NonceRange range) override {
    std::this_thread::sleep_for(
        std::chrono::duration<double>(static_cast<double>(range.count) / rate_));
    return {range.count, {}};
  }

 private:
  std::string name_;
  double rate_;
};

// What the worker measured: each batch's seconds and each task's.
struct Busy {
  std::mutex mutex;
  std::condition_variable changed;
  double mining = 0, tasks = 0, longest_task = 0;
  size_t batches = 0, tasks_run = 0;
};

WorkerOptions sizing(double target_seconds, double rate) {
  WorkerOptions options;
  options.sizing.target_seconds = target_seconds;
  options.sizing.time_constant_s = 0.1;
  options.sizing.initial_rate = rate;
  options.sizing.min_nonces = 256;
  options.sizing.max_nonces = uint64_t{1} << 32;
  options.lowered_priority = false;
  return options;
}

std::unique_ptr<Scheduler> make_scheduler(Busy& busy) {
  auto scheduler = std::make_unique<Scheduler>(SchedulerOptions{}, [&busy](WorkerReport report) {
    std::lock_guard lock(busy.mutex);
    busy.mining += report.seconds;
    ++busy.batches;
    busy.changed.notify_all();
  });
  scheduler->set_task_time_observer([&busy](std::string_view device, double seconds) {
    EXPECT_EQ(device, "cpu0");
    std::lock_guard lock(busy.mutex);
    busy.tasks += seconds;
    busy.longest_task = std::max(busy.longest_task, seconds);
    ++busy.tasks_run;
    busy.changed.notify_all();
  });
  scheduler->add_device(std::make_unique<SleepingDevice>("cpu0", 1e6), sizing(0.01, 1e6));
  return scheduler;
}

TEST(TaskBudget, AWorkerGivesTasksAtMostTheirShareOfItsBusyTime) {
  Busy busy;
  auto scheduler = make_scheduler(busy);
  scheduler->set_task_max_share(0.25);
  scheduler->start();
  scheduler->set_job(testing::test_job());
  // Far more work than the run takes: the queue never empties.
  for (int i = 0; i < 400; ++i) scheduler->submit_task([] { std::this_thread::sleep_for(4ms); });
  {
    std::unique_lock lock(busy.mutex);
    ASSERT_TRUE(busy.changed.wait_for(lock, 20s, [&] { return busy.batches >= 40; }));
  }
  scheduler->stop();
  std::lock_guard lock(busy.mutex);
  EXPECT_GT(busy.tasks_run, 0u);
  EXPECT_GT(scheduler->queued_tasks(), 0u);  // some still wait: the budget held them back
  // The run fits in the budget's window, so its bound holds over the whole
  // run: under the budget before each task, so over it by one task at most.
  EXPECT_LE(busy.tasks, 0.25 * (busy.tasks + busy.mining) + busy.longest_task)
      << busy.tasks << " s of tasks, " << busy.mining << " s of mining";
}

TEST(TaskBudget, WithNothingToMineTasksRunWhateverTheBudget) {
  Busy busy;
  auto scheduler = make_scheduler(busy);
  scheduler->set_task_max_share(0.01);
  scheduler->start();  // no job: nothing to mine
  for (int i = 0; i < 20; ++i) scheduler->submit_task([] { std::this_thread::sleep_for(1ms); });
  std::unique_lock lock(busy.mutex);
  EXPECT_TRUE(busy.changed.wait_for(lock, 20s, [&] { return busy.tasks_run == 20; }));
  lock.unlock();
  scheduler->stop();
}

}  // namespace
}  // namespace synthminer::scheduler
