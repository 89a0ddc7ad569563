// TaskQueue: general tasks go to any worker that takes them, addressed ones
// only to their device's worker, and run_on() runs its task exactly once:
// on the device's worker when it is attached, else on the waiting thread.
// push_to() tasks have no waiter: they run on the device's worker, or as
// general tasks when that worker is gone, exactly once either way.
#include "scheduler/task_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace synthminer::scheduler {
namespace {

using namespace std::chrono_literals;

// Pops and runs the tasks of `device` until `stop`, like a DeviceWorker.
class FakeWorker {
 public:
  FakeWorker(TaskQueue& queue, std::string device) : queue_(queue), device_(std::move(device)) {
    queue_.attach(device_);
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        if (auto task = queue_.pop(device_, false)) {
          (*task)();
        } else {
          std::this_thread::sleep_for(1ms);
        }
      }
    });
  }
  ~FakeWorker() { stop(); }
  void stop() {
    stop_.store(true);
    if (!thread_.joinable()) return;
    thread_.join();
    queue_.detach(device_);
  }
  std::thread::id id() const { return thread_.get_id(); }

 private:
  TaskQueue& queue_;
  std::string device_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(TaskQueue, GeneralTasksComeOutInOrderAndAddressedOnesOnlyToTheirDevice) {
  TaskQueue queue;
  std::vector<int> ran;
  queue.push([&] { ran.push_back(1); });
  queue.push([&] { ran.push_back(2); });
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_FALSE(queue.pop("gpu0", false)) << "a worker that takes no general tasks got one";
  (*queue.pop())();
  (*queue.pop("cpu0", true))();
  EXPECT_FALSE(queue.pop());
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST(TaskQueue, AnAddressedTaskRunsOnItsDevicesWorkerAheadOfGeneralWork) {
  TaskQueue queue;
  queue.push([] {});  // general work that the GPU worker must not take
  FakeWorker gpu(queue, "gpu0");
  std::thread::id ran_on;
  const bool on_device = queue.run_on("gpu0", [&] { ran_on = std::this_thread::get_id(); });
  EXPECT_TRUE(on_device);
  EXPECT_EQ(ran_on, gpu.id());
  EXPECT_EQ(queue.size(), 1u) << "the general task is still waiting for a CPU worker";
}

TEST(TaskQueue, WithNoWorkerForTheDeviceTheTaskRunsOnTheCallingThread) {
  TaskQueue queue;
  std::thread::id ran_on;
  EXPECT_FALSE(queue.run_on("gpu7", [&] { ran_on = std::this_thread::get_id(); }));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(queue.size(), 0u);
}

TEST(TaskQueue, ATaskWhoseDeviceStopsBeforeTakingItRunsOnceOnTheWaiter) {
  TaskQueue queue;
  queue.attach("gpu0");  // attached, but nobody pops: the worker is busy mining
  std::atomic<int> runs{0};
  std::thread::id ran_on;
  std::thread waiter([&] {
    EXPECT_FALSE(queue.run_on("gpu0", [&] {
      runs.fetch_add(1);
      ran_on = std::this_thread::get_id();
    }));
  });
  while (queue.size() == 0) std::this_thread::sleep_for(1ms);
  const std::thread::id waiter_id = waiter.get_id();
  queue.detach("gpu0");  // the device's worker stops (reload or shutdown)
  waiter.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(ran_on, waiter_id);
  // A worker of the same name that comes back finds nothing left to run.
  queue.attach("gpu0");
  EXPECT_FALSE(queue.pop("gpu0", false));
  EXPECT_EQ(runs.load(), 1);
}

TEST(TaskQueue, AWorkerThatDoesNotTakeTheTaskInTimeLeavesItToTheWaiter) {
  TaskQueue queue;
  queue.attach("gpu0");  // attached, but stuck: it never pops
  int runs = 0;
  EXPECT_FALSE(queue.run_on(
      "gpu0", [&] { ++runs; }, 30ms));
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(queue.pop("gpu0", false))
      << "the task ran already; the worker must not run it again";
  EXPECT_EQ(queue.size(), 0u);
}

TEST(TaskQueue, ATaskTheWorkerTookIsWaitedForPastTheDeadline) {
  TaskQueue queue;
  queue.attach("gpu0");
  std::atomic<bool> polling{false}, stop{false};
  std::thread worker([&] {
    polling.store(true);
    while (!stop.load()) {
      if (auto task = queue.pop("gpu0", false)) {
        (*task)();
        return;
      }
      std::this_thread::sleep_for(1ms);
    }
  });
  while (!polling.load()) std::this_thread::sleep_for(1ms);
  // The task outlasts the deadline, but the worker has it: no second run.
  std::atomic<int> runs{0};
  std::thread::id ran_on;
  const bool by_worker = queue.run_on(
      "gpu0",
      [&] {
        runs.fetch_add(1);
        ran_on = std::this_thread::get_id();
        std::this_thread::sleep_for(500ms);
      },
      300ms);
  stop.store(true);
  const std::thread::id worker_id = worker.get_id();
  worker.join();
  queue.detach("gpu0");
  EXPECT_TRUE(by_worker);
  EXPECT_EQ(ran_on, worker_id);
  EXPECT_EQ(runs.load(), 1);
}

TEST(TaskQueue, ManyWaitersOnOneDeviceEachRunExactlyOnce) {
  TaskQueue queue;
  FakeWorker gpu(queue, "gpu0");
  std::atomic<int> runs{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 8; ++i)
    waiters.emplace_back([&] {
      for (int k = 0; k < 50; ++k) queue.run_on("gpu0", [&] { runs.fetch_add(1); });
    });
  // Stop the worker half way: the rest run on their waiters.
  std::this_thread::sleep_for(5ms);
  gpu.stop();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(runs.load(), 8 * 50);
  EXPECT_EQ(queue.size(), 0u);
}

TEST(TaskQueue, APushedTaskRunsOnItsDevicesWorkerWithNobodyWaiting) {
  TaskQueue queue;
  FakeWorker gpu(queue, "gpu0");
  std::atomic<int> runs{0};
  std::atomic<std::thread::id> ran_on{};
  queue.push_to("gpu0", [&] {
    ran_on.store(std::this_thread::get_id());
    runs.fetch_add(1);
  });  // returns at once: this thread does not wait
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (runs.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(ran_on.load(), gpu.id());
  EXPECT_FALSE(queue.pop()) << "the task also went to the general queue";
  EXPECT_EQ(queue.size(), 0u);
}

TEST(TaskQueue, APushedTaskForADeviceWithNoWorkerIsAGeneralTask) {
  TaskQueue queue;
  int runs = 0;
  queue.push_to("gpu7", [&] { ++runs; });
  EXPECT_FALSE(queue.pop("gpu7", false)) << "no worker of gpu7 runs: it is not addressed";
  auto task = queue.pop("cpu0", true);
  ASSERT_TRUE(task);
  (*task)();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(queue.size(), 0u);
}

TEST(TaskQueue, APushedTaskWhoseDeviceGoesAwayRunsOnceAsAGeneralTask) {
  TaskQueue queue;
  queue.attach("gpu0");  // attached, but nobody pops: the worker is busy mining
  std::vector<int> ran;
  for (int i = 1; i <= 3; ++i) queue.push_to("gpu0", [&, i] { ran.push_back(i); });
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_FALSE(queue.pop()) << "an addressed task went to a CPU worker while its device ran";
  queue.detach("gpu0");  // the device's worker stops (reload or shutdown)
  EXPECT_EQ(queue.size(), 3u);
  while (auto task = queue.pop("cpu0", true)) (*task)();
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3})) << "each ran once, in order";
  // A worker of the same name that comes back finds nothing left to run.
  queue.attach("gpu0");
  EXPECT_FALSE(queue.pop("gpu0", false));
  EXPECT_EQ(queue.size(), 0u);
}

TEST(TaskQueue, PushedTasksRaceTheirWorkerStoppingAndEachRunsExactlyOnce) {
  TaskQueue queue;
  FakeWorker gpu(queue, "gpu0");
  std::atomic<int> runs{0};
  std::thread pusher([&] {
    for (int k = 0; k < 400; ++k) {
      queue.push_to("gpu0", [&] { runs.fetch_add(1); });
      if (k % 50 == 0) std::this_thread::sleep_for(1ms);
    }
  });
  // Stop the worker half way: the rest become general tasks.
  std::this_thread::sleep_for(3ms);
  gpu.stop();
  pusher.join();
  while (auto task = queue.pop()) (*task)();
  EXPECT_EQ(runs.load(), 400);
  EXPECT_EQ(queue.size(), 0u);
}

}  // namespace
}  // namespace synthminer::scheduler
