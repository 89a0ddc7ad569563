// The worker's lease on its batch: pieces in order, lockstep pieces of a
// roll batch, and what comes back on end() and on revocation.
#include "scheduler/batch_lease.h"

#include <gtest/gtest.h>

namespace synthminer::scheduler {
namespace {

using Clock = BatchLease::Clock;
const auto kLater = Clock::now() + std::chrono::hours(1);

Batch roll_batch(uint64_t rolls, uint32_t start, uint64_t count) {
  Batch batch;
  batch.rolls = true;
  for (uint64_t i = 0; i < rolls; ++i) batch.units.push_back(WorkUnit{"j", 1, 8 + i, start, count});
  return batch;
}

TEST(BatchLease, APlainBatchComesOutPieceByPiece) {
  Batch batch;
  batch.units = {WorkUnit{"j", 1, 0, 0, 25}, WorkUnit{"j", 1, 0, 100, 10}};
  BatchLease lease;
  lease.begin(batch, kLater);
  std::vector<WorkUnit> pieces;
  for (auto p = lease.next_pieces(10); !p.empty(); p = lease.next_pieces(10)) {
    ASSERT_EQ(p.size(), 1u);
    pieces.push_back(p[0]);
    EXPECT_TRUE(lease.finish_piece());
  }
  EXPECT_EQ(
      pieces,
      (std::vector<WorkUnit>{
          {"j", 1, 0, 0, 10}, {"j", 1, 0, 10, 10}, {"j", 1, 0, 20, 5}, {"j", 1, 0, 100, 10}}));
  EXPECT_TRUE(lease.end().empty());
}

TEST(BatchLease, ARollBatchComesOutInLockstep) {
  BatchLease lease;
  lease.begin(roll_batch(3, 1000, 25), kLater);
  for (const uint32_t start : {1000u, 1010u, 1020u}) {
    const auto pieces = lease.next_pieces(10);
    ASSERT_EQ(pieces.size(), 3u);
    for (uint64_t i = 0; i < 3; ++i) {
      EXPECT_EQ(pieces[i].midstate_id, 8 + i);
      EXPECT_EQ(pieces[i].nonce_start, start);
      EXPECT_EQ(pieces[i].nonce_count, start == 1020u ? 5u : 10u);
    }
    EXPECT_TRUE(lease.finish_piece());
  }
  EXPECT_TRUE(lease.next_pieces(10).empty());
}

TEST(BatchLease, EndAndRevocationGiveBackEveryRollNotHashed) {
  BatchLease lease;
  lease.begin(roll_batch(2, 0, 30), kLater);
  lease.next_pieces(10);
  lease.finish_piece();
  lease.next_pieces(10);  // in progress: [10, 20) of both
  auto left = lease.end();
  ASSERT_EQ(left.size(), 4u);
  EXPECT_EQ(left[0], (WorkUnit{"j", 1, 8, 10, 10}));
  EXPECT_EQ(left[1], (WorkUnit{"j", 1, 9, 10, 10}));
  EXPECT_EQ(left[2], (WorkUnit{"j", 1, 8, 20, 10}));
  EXPECT_EQ(left[3], (WorkUnit{"j", 1, 9, 20, 10}));

  lease.begin(roll_batch(2, 0, 30), Clock::now());
  lease.next_pieces(10);
  left = lease.revoke_if_overdue(Clock::now() + std::chrono::seconds(1));
  EXPECT_EQ(left.size(), 4u);
  EXPECT_FALSE(lease.finish_piece());  // the worker drops the piece's results
  EXPECT_TRUE(lease.end().empty());    // the monitor has them already
}

}  // namespace
}  // namespace synthminer::scheduler
