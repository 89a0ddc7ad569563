#include "lifecycle/shutdown_deadline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace synthminer::lifecycle {
namespace {

using namespace std::chrono_literals;

TEST(ShutdownDeadline, AStopThatOverrunsIsCutShort) {
  std::atomic<int> expired{0};
  ShutdownDeadline deadline([&](std::chrono::milliseconds limit) {
    EXPECT_EQ(limit, 20ms);
    ++expired;
  });
  deadline.arm(20ms);
  EXPECT_TRUE(deadline.armed());
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (expired == 0 && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(expired, 1);
}

TEST(ShutdownDeadline, AStopThatFinishesInTimeIsLeftAlone) {
  std::atomic<int> expired{0};
  {
    ShutdownDeadline deadline([&](std::chrono::milliseconds) { ++expired; });
    deadline.arm(1h);
    deadline.disarm();  // returns at once, though the limit is an hour away
    EXPECT_FALSE(deadline.armed());
  }
  EXPECT_EQ(expired, 0);
}

TEST(ShutdownDeadline, ASecondArmKeepsTheFirstDeadline) {
  std::atomic<int> expired{0};
  ShutdownDeadline deadline([&](std::chrono::milliseconds limit) {
    EXPECT_EQ(limit, 10ms);
    ++expired;
  });
  deadline.arm(10ms);
  deadline.arm(1h);
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (expired == 0 && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(expired, 1);
}

TEST(ShutdownDeadline, DisarmedBeforeArmingNeverFires) {
  std::atomic<int> expired{0};
  ShutdownDeadline deadline([&](std::chrono::milliseconds) { ++expired; });
  deadline.disarm();
  deadline.arm(1ms);
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(expired, 0);
  EXPECT_FALSE(deadline.armed());
}

}  // namespace
}  // namespace synthminer::lifecycle
