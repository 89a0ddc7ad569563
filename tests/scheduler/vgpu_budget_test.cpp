// VgpuBudget on fed durations (no clock): the share of the busy window that
// tasks took, the gate at max_share, and the window sliding past old spans.
#include "scheduler/vgpu_budget.h"

#include <gtest/gtest.h>

#include <random>

namespace synthminer::scheduler {
namespace {

TEST(VgpuBudget, AnEmptyWindowLetsATaskThrough) {
  VgpuBudget budget;
  EXPECT_EQ(budget.share(), 0.0);
  EXPECT_TRUE(budget.allows_task(0.25));
}

TEST(VgpuBudget, TasksRunOnlyWhileTheirShareIsUnderTheBudget) {
  VgpuBudget budget(10.0);
  budget.record_mining(0.3);
  budget.record_task(0.1);
  EXPECT_DOUBLE_EQ(budget.share(), 0.25);
  EXPECT_FALSE(budget.allows_task(0.25));  // at the budget: mine first
  EXPECT_FALSE(budget.allows_task(0.29));  // within the headroom kept for mining
  EXPECT_TRUE(budget.allows_task(0.3));    // 0.25 < 0.85 * 0.3
  budget.record_mining(0.1);
  EXPECT_DOUBLE_EQ(budget.share(), 0.2);
  EXPECT_TRUE(budget.allows_task(0.25));
}

TEST(VgpuBudget, AShareOfOneLetsEveryTaskThrough) {
  VgpuBudget budget;
  budget.record_task(1.0);
  EXPECT_DOUBLE_EQ(budget.share(), 1.0);
  EXPECT_TRUE(budget.allows_task(1.0));
  EXPECT_FALSE(budget.allows_task(0.99));
}

TEST(VgpuBudget, OldSpansLeaveTheWindow) {
  VgpuBudget budget(1.0);
  budget.record_task(0.5);
  budget.record_task(0.5);
  EXPECT_DOUBLE_EQ(budget.share(), 1.0);
  // A second of mining pushes both tasks out.
  for (int i = 0; i < 10; ++i) budget.record_mining(0.1);
  EXPECT_NEAR(budget.share(), 0.0, 1e-12);
  EXPECT_TRUE(budget.allows_task(0.01));
}

// The worker's loop in miniature, against a plain recount of the window: a
// task goes first only while allowed. Over random task and batch lengths the
// share stays within one task of the budget, and mining gets the rest.
TEST(VgpuBudget, AGreedyTaskStreamGetsAboutTheBudgetAndNoMore) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> task_len(0.001, 0.05);
  std::uniform_real_distribution<double> batch_len(0.01, 0.06);
  for (const double max_share : {0.1, 0.25, 0.5, 0.9}) {
    VgpuBudget budget(1e9);  // the whole run stays in the window
    double tasks = 0, mining = 0, longest = 0;
    for (int step = 0; step < 20000; ++step) {
      const double held_to = VgpuBudget::kTaskHeadroom * max_share;
      if (budget.allows_task(max_share)) {
        ASSERT_LT(tasks, held_to * (tasks + mining) + 1e-9);
        const double t = task_len(rng);
        budget.record_task(t);
        tasks += t;
        longest = std::max(longest, t);
      } else {
        const double b = batch_len(rng);
        budget.record_mining(b);
        mining += b;
      }
    }
    const double busy = tasks + mining;
    EXPECT_NEAR(budget.share(), tasks / busy, 1e-9);
    const double held_to = VgpuBudget::kTaskHeadroom * max_share;
    EXPECT_LE(tasks, held_to * busy + longest) << max_share;
    // A stream that always wants more gets close to the budget less the headroom.
    EXPECT_GE(tasks, held_to * busy - 0.06) << max_share;
  }
}

}  // namespace
}  // namespace synthminer::scheduler
