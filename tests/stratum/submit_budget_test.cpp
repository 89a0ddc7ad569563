#include "stratum/submit_budget.h"

#include <gtest/gtest.h>

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;
using Clock = SubmitBudget::Clock;

TEST(SubmitBudget, OneSecondsWorthGoesAtOnceThenTheRestIsHeldBack) {
  const Clock::time_point t0{};
  SubmitBudget budget(100, t0);
  int sent = 0;
  for (int i = 0; i < 1000; ++i) sent += budget.take(t0) ? 1 : 0;
  EXPECT_EQ(sent, 100);
  EXPECT_EQ(budget.held_back(), 900u);
}

TEST(SubmitBudget, TheBudgetRefillsAtItsRate) {
  const Clock::time_point t0{};
  SubmitBudget budget(10, t0);
  while (budget.take(t0)) {
  }
  EXPECT_FALSE(budget.take(t0 + 50ms));  // half a token
  EXPECT_TRUE(budget.take(t0 + 150ms));
  // A long quiet spell refills one second's worth, no more.
  int sent = 0;
  for (int i = 0; i < 100; ++i) sent += budget.take(t0 + 1h) ? 1 : 0;
  EXPECT_EQ(sent, 10);
}

TEST(SubmitBudget, ABudgetUnderOneASecondStillLetsOneThrough) {
  const Clock::time_point t0{};
  SubmitBudget budget(0.1, t0);
  EXPECT_TRUE(budget.take(t0));
  EXPECT_FALSE(budget.take(t0 + 1s));
  EXPECT_TRUE(budget.take(t0 + 11s));
}

}  // namespace
}  // namespace synthminer::stratum
