// run_detachable (vgpu/payload/detachable_work.h): a step that cannot check
// its stop token returns its value or its exception as if run inline; a
// shutdown or a preemption ends the wait at once and leaves the step running;
// a cancel or a deadline waits for it.
#include "vgpu/payload/detachable_work.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>

#include "tests/vgpu/stop_reason_of.h"

namespace {

using jarvis::ServiceStop;
using jarvis::StopReason;
using jarvis::StopToken;
using jarvis::test::stop_reason_of;
using namespace std::chrono_literals;

// A step that blocks until released, then says it has finished.
struct HeldStep {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::shared_ptr<std::atomic<bool>> finished = std::make_shared<std::atomic<bool>>(false);

  auto work() {
    return [released = released, finished = finished] {
      released.wait();
      finished->store(true);
      return 42;
    };
  }
  // Lets the step end and waits for it, so no thread outlives the test.
  void finish() {
    release.set_value();
    for (int i = 0; i < 500 && !finished->load(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(finished->load());
  }
};

TEST(DetachableWork, ReturnsTheValueOrRethrowsTheExceptionOfTheStep) {
  EXPECT_EQ(jarvis::run_detachable([] { return 7; }, StopToken()), 7);
  EXPECT_THROW(
      jarvis::run_detachable([]() -> int { throw std::runtime_error("step failed"); }, StopToken()),
      std::runtime_error);
}

TEST(DetachableWork, AShutdownOrAPreemptionEndsTheWaitAndLeavesTheStepRunning) {
  for (const bool shutdown : {true, false}) {
    auto service = std::make_shared<ServiceStop>();
    const StopToken stop = StopToken().also_on(service);
    HeldStep step;
    std::thread stopper([&] {
      std::this_thread::sleep_for(20ms);
      if (shutdown)
        service->shutdown.store(true);
      else
        service->epoch.fetch_add(1);
    });
    const StopReason reason = stop_reason_of([&] { jarvis::run_detachable(step.work(), stop); });
    stopper.join();
    EXPECT_EQ(reason, shutdown ? StopReason::kShutdown : StopReason::kPreempted);
    EXPECT_FALSE(step.finished->load()) << "the wait was not ended before the step";
    step.finish();
  }
}

TEST(DetachableWork, ACancelOrADeadlineWaitsForTheStep) {
  auto cancelled = std::make_shared<std::atomic<bool>>(true);
  for (const StopToken& stop :
       {StopToken(cancelled, std::nullopt), StopToken(nullptr, StopToken::Clock::now())}) {
    HeldStep step;
    std::thread releaser([&] {
      std::this_thread::sleep_for(30ms);
      step.release.set_value();
    });
    EXPECT_EQ(jarvis::run_detachable(step.work(), stop), 42);
    EXPECT_TRUE(step.finished->load());
    releaser.join();
  }
}

}  // namespace
