#include "daemon/hashrate_windows.h"

#include <gtest/gtest.h>

namespace synthminer::daemon {
namespace {

using namespace std::chrono_literals;

TEST(HashrateWindows, NotAvailableUntilTheWindowHasPassed) {
  HashrateWindows w;
  const auto t0 = HashrateWindows::Clock::time_point{};
  for (int s = 0; s <= 9; ++s) w.sample(uint64_t(s) * 1000, t0 + std::chrono::seconds(s));
  EXPECT_FALSE(w.rate(10s));
  w.sample(10000, t0 + 10s);
  ASSERT_TRUE(w.rate(10s));
  EXPECT_DOUBLE_EQ(*w.rate(10s), 1000.0);
  EXPECT_FALSE(w.rate(60s));
}

TEST(HashrateWindows, EachWindowSeesOnlyItsOwnPast) {
  HashrateWindows w;
  const auto t0 = HashrateWindows::Clock::time_point{};
  uint64_t total = 0;
  // 50 s at 100 H/s, then 10 s at 700 H/s.
  for (int s = 0; s <= 60; ++s) {
    w.sample(total, t0 + std::chrono::seconds(s));
    total += s < 50 ? 100 : 700;
  }
  EXPECT_DOUBLE_EQ(*w.rate(10s), 700.0);
  EXPECT_DOUBLE_EQ(*w.rate(60s), (50 * 100 + 10 * 700) / 60.0);
}

TEST(HashrateWindows, KeepsFifteenMinutesAndNoMore) {
  HashrateWindows w;
  const auto t0 = HashrateWindows::Clock::time_point{};
  for (int s = 0; s <= 3600; ++s) w.sample(uint64_t(s) * 10, t0 + std::chrono::seconds(s));
  ASSERT_TRUE(w.rate(std::chrono::minutes(15)));
  EXPECT_DOUBLE_EQ(*w.rate(std::chrono::minutes(15)), 10.0);
  EXPECT_FALSE(w.rate(std::chrono::minutes(20)));  // older samples were dropped
}

}  // namespace
}  // namespace synthminer::daemon
