// The lazy nonce space: no overlap, no gap, the roll-over to the next
// midstate, splitting, and given-back units first.
#include "scheduler/work_space.h"

#include <gtest/gtest.h>

#include "scheduler/precompute.h"
#include "test_jobs.h"

namespace synthminer::scheduler {
namespace {

TEST(WorkSpace, NoJobMeansNoWork) {
  WorkSpace space;
  EXPECT_FALSE(space.take(100));
  EXPECT_TRUE(space.take_batch(100).empty());
}

TEST(WorkSpace, UnitsFollowEachOtherWithoutOverlapOrGap) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job(), 1));
  uint64_t expected = 0;
  for (int i = 0; i < 100; ++i) {
    const auto unit = space.take(1000 + static_cast<uint64_t>(i));
    ASSERT_TRUE(unit);
    EXPECT_EQ(unit->job_id, "j1");
    EXPECT_EQ(unit->midstate_id, 0u);
    EXPECT_EQ(unit->nonce_start, expected);
    EXPECT_EQ(unit->nonce_count, 1000u + static_cast<uint64_t>(i));
    expected += unit->nonce_count;
  }
  EXPECT_EQ(space.stats().nonces_handed_out, expected);
  EXPECT_EQ(space.stats().midstates_started, 1u);
}

TEST(WorkSpace, RollsToTheNextMidstateAfterAllNonces) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job(), 1));
  const uint64_t quarter = kNoncesPerMidstate / 4 + 1;  // does not divide 2^32
  uint64_t covered = 0;
  for (int i = 0; i < 4; ++i) {
    const auto unit = space.take(quarter);
    ASSERT_TRUE(unit);
    EXPECT_EQ(unit->midstate_id, 0u);
    EXPECT_EQ(unit->nonce_start, covered);
    covered += unit->nonce_count;
  }
  EXPECT_EQ(covered, kNoncesPerMidstate);  // the last unit was cut at 2^32 - 1
  const auto next = space.take(10);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->midstate_id, 1u);
  EXPECT_EQ(next->nonce_start, 0u);
  EXPECT_EQ(space.stats().midstates_started, 2u);
}

TEST(WorkSpace, ATinyExtranonce2SpaceRunsOut) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job("j", 1, 0x6000), 1));  // 256 x 4 midstates
  uint64_t units = 0;
  while (space.take(kNoncesPerMidstate)) ++units;
  EXPECT_EQ(units, 256u * 4u);
  EXPECT_TRUE(space.stats().exhausted);
}

TEST(WorkSpace, SplitCutsAUnitInTwoAdjacentUnits) {
  const WorkUnit unit{"j", 3, 7, 100, 50};
  const auto [first, second] = split(unit, 20);
  EXPECT_EQ(first, (WorkUnit{"j", 3, 7, 100, 20}));
  EXPECT_EQ(second, (WorkUnit{"j", 3, 7, 120, 30}));
}

TEST(WorkSpace, GivenBackUnitsComeFirstAndAreSplitToFit) {
  WorkSpace space;
  const auto job = make_job_context(testing::test_job(), 1);
  space.set_job(job);
  const auto a = *space.take(100);
  const auto b = *space.take(100);
  space.give_back(a);
  const auto first = space.take(60);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, (WorkUnit{"j1", 1, 0, 0, 60}));
  const auto second = space.take(1000);
  EXPECT_EQ(*second, (WorkUnit{"j1", 1, 0, 60, 40}));
  const auto fresh = space.take(10);
  EXPECT_EQ(fresh->nonce_start, b.nonce_start + b.nonce_count);
  EXPECT_EQ(space.stats().nonces_given_back, 100u);
}

TEST(WorkSpace, UnitsOfAnOldJobAreNotHandedOutAgain) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job("old"), 1));
  const auto unit = *space.take(100);
  space.set_job(make_job_context(testing::test_job("new"), 2));
  space.give_back(unit);
  const auto next = space.take(100);
  EXPECT_EQ(next->job_id, "new");
  EXPECT_EQ(next->nonce_start, 0u);
}

TEST(WorkSpace, ABatchHoldsUnitsOfOneMidstateOnly) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job(), 1));
  const auto a = *space.take(kNoncesPerMidstate - 100);  // leaves 100 of midstate 0
  space.give_back(WorkUnit{a.job_id, a.job_sequence, 0, 5, 10});
  const Batch batch = space.take_batch(1000);
  ASSERT_EQ(batch.units.size(), 2u);
  EXPECT_EQ(batch.units[0].nonce_start, 5u);
  EXPECT_EQ(batch.units[1].nonce_start, kNoncesPerMidstate - 100);
  EXPECT_EQ(batch.nonces(), 110u);  // stops at the end of midstate 0
  const Batch next = space.take_batch(1000);
  ASSERT_EQ(next.units.size(), 1u);
  EXPECT_EQ(next.units[0].midstate_id, 1u);
  EXPECT_EQ(next.nonces(), 1000u);
}

}  // namespace
}  // namespace synthminer::scheduler
