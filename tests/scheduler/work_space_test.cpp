// The lazy nonce space: no overlap, no gap, the roll-over to the next
// midstate, splitting, and given-back units first.
#include "scheduler/work_space.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <utility>
#include <vector>

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

TEST(WorkSpace, NoExtranonce2SpaceLeavesTheVersionRolls) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job("j", 0, 0x6000), 1));  // 1 x 4 midstates
  uint64_t units = 0;
  while (space.take(kNoncesPerMidstate)) ++units;
  EXPECT_EQ(units, 4u);
  EXPECT_TRUE(space.stats().exhausted);
  EXPECT_TRUE(build_midstate(make_job_context(testing::test_job("j", 0, 0x6000), 1), 3)
                  ->extranonce2.empty());
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

// Mask 0x6000: two bits, four version rolls per extranonce2 value.
constexpr uint32_t kFourRolls = 0x6000;

TEST(WorkSpace, ARollBatchIsTheSameRunOfEveryVersionRoll) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job("j", 4, kFourRolls), 1));
  const Batch first = space.take_roll_batch(4000);
  ASSERT_TRUE(first.rolls);
  ASSERT_EQ(first.units.size(), 4u);
  for (uint64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(first.units[i], (WorkUnit{"j", 1, i, 0, 1000}));
  }
  const Batch second = space.take_roll_batch(4000);
  EXPECT_EQ(second.units[3], (WorkUnit{"j", 1, 3, 1000, 1000}));
  EXPECT_EQ(space.stats().midstates_started, 4u);
  EXPECT_EQ(space.stats().nonces_handed_out, 8000u);
  // The last run of the group is cut at 2^32; the next batch starts group 1.
  const Batch rest = space.take_roll_batch(4 * kNoncesPerMidstate);
  EXPECT_EQ(rest.units[0].nonce_start, 2000u);
  EXPECT_EQ(rest.units[0].nonce_count, kNoncesPerMidstate - 2000);
  EXPECT_EQ(space.take_roll_batch(40).units[0], (WorkUnit{"j", 1, 4, 0, 10}));
}

TEST(WorkSpace, PlainTakesSkipTheReservedVersionRolls) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job("j", 4, kFourRolls), 1));
  ASSERT_EQ(space.take(10)->midstate_id, 0u);  // the cursor is inside group 0
  const Batch rolls = space.take_roll_batch(400);
  ASSERT_TRUE(rolls.rolls);
  EXPECT_EQ(rolls.units.front().midstate_id, 4u);  // group 1: ahead of the cursor
  std::vector<uint64_t> midstates;
  for (int i = 0; i < 5; ++i) midstates.push_back(space.take(kNoncesPerMidstate)->midstate_id);
  EXPECT_EQ(midstates, (std::vector<uint64_t>{0, 1, 2, 3, 8}));
  // A second reservation goes past the first and the cursor.
  space.take_roll_batch(4 * kNoncesPerMidstate);  // finishes group 1
  EXPECT_EQ(space.take_roll_batch(4).units.front().midstate_id, 12u);
  EXPECT_EQ(space.take(1)->midstate_id, 9u);  // 8 went whole above
}

TEST(WorkSpace, RollAndPlainTakesTogetherHandOutEveryNonceOnce) {
  // 256 extranonce2 values x 4 rolls, taken at random in big pieces.
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job("j", 1, kFourRolls), 1));
  std::map<uint64_t, std::vector<std::pair<uint64_t, uint64_t>>> runs;  // midstate -> [start, end)
  std::mt19937_64 rng(5);
  uint64_t handed = 0;
  for (;;) {
    Batch batch;
    if (rng() % 2) {
      batch = space.take_roll_batch(uint64_t{1} << (31 + rng() % 4));
    } else {
      batch = space.take_batch(uint64_t{1} << (30 + rng() % 3));
    }
    if (batch.empty()) break;
    for (const WorkUnit& u : batch.units) {
      runs[u.midstate_id].emplace_back(u.nonce_start, u.nonce_start + u.nonce_count);
      handed += u.nonce_count;
    }
    if (rng() % 7 == 0) {  // a unit comes back and goes out again
      space.give_back(batch.units.back());
      handed -= batch.units.back().nonce_count;
      runs[batch.units.back().midstate_id].pop_back();
    }
  }
  EXPECT_TRUE(space.stats().exhausted);
  EXPECT_EQ(handed, 1024 * kNoncesPerMidstate);
  ASSERT_EQ(runs.size(), 1024u);
  for (auto& [midstate, list] : runs) {
    std::sort(list.begin(), list.end());
    uint64_t next = 0;
    for (const auto& [start, end] : list) {
      ASSERT_EQ(start, next) << "midstate " << midstate;
      next = end;
    }
    EXPECT_EQ(next, kNoncesPerMidstate) << "midstate " << midstate;
  }
}

TEST(WorkSpace, RollBatchesArePlainWithoutVersionRollingOrWithGivenBackWork) {
  WorkSpace space;
  space.set_job(make_job_context(testing::test_job("j", 4, 0), 1));
  const Batch plain = space.take_roll_batch(100);
  EXPECT_FALSE(plain.rolls);
  ASSERT_EQ(plain.units.size(), 1u);
  EXPECT_EQ(plain.units[0], (WorkUnit{"j", 1, 0, 0, 100}));

  space.set_job(make_job_context(testing::test_job("k", 4, kFourRolls), 2));
  const Batch rolls = space.take_roll_batch(400);
  space.give_back(rolls.units[2]);
  const Batch again = space.take_roll_batch(400);
  EXPECT_FALSE(again.rolls);
  ASSERT_EQ(again.units.size(), 1u);
  EXPECT_EQ(again.units[0], rolls.units[2]);
  // A new job forgets the reservation: the cursor starts at midstate 0.
  space.set_job(make_job_context(testing::test_job("m", 4, kFourRolls), 3));
  EXPECT_EQ(space.take(10)->midstate_id, 0u);
  EXPECT_EQ(space.take_roll_batch(4).units.front().midstate_id, 4u);
}

TEST(WorkSpace, AResumedJobStartsPastEveryExtranonce2ItHandedOut) {
  WorkSpace space;
  protocol::WorkItem input = testing::test_job();
  space.set_job(make_job_context(input, 1));
  EXPECT_EQ(space.untouched_extranonce2(), 0u);
  ASSERT_TRUE(space.take(1000));  // extranonce2 0 is now touched
  EXPECT_EQ(space.untouched_extranonce2(), 1u);
  // Pause, then resume the same job where it stopped.
  space.set_job(make_job_context(input, 2, 0, space.untouched_extranonce2()));
  const auto unit = space.take(1000);
  ASSERT_TRUE(unit);
  EXPECT_EQ(unit->midstate_id, 1u);
  EXPECT_EQ(unit->nonce_start, 0u);
}

}  // namespace
}  // namespace synthminer::scheduler
