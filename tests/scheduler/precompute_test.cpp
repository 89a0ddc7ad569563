// Midstates: the header of each (extranonce2, version) pair, and the cache.
#include "scheduler/precompute.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>

#include "protocol/work.h"
#include "test_jobs.h"

namespace synthminer::scheduler {
namespace {

TEST(Precompute, Extranonce2IsTheCounterLittleEndian) {
  EXPECT_EQ(extranonce2_bytes(0x0102, 4), (std::vector<uint8_t>{0x02, 0x01, 0x00, 0x00}));
  EXPECT_EQ(extranonce2_bytes(0x1ff, 1), (std::vector<uint8_t>{0xff}));
  EXPECT_EQ(extranonce2_bytes(1, 10).size(), 10u);
}

TEST(Precompute, RollsDepositIntoTheMaskBits) {
  EXPECT_EQ(rolled_version(0x20000000, 0x1fffe000, 0), 0x20000000u);
  EXPECT_EQ(rolled_version(0x20000000, 0x1fffe000, 1), 0x20002000u);
  EXPECT_EQ(rolled_version(0x20000000, 0x00006000, 3), 0x20006000u);
}

TEST(Precompute, RolledVersionsSurviveBothWaysPoolsRebuildThem) {
  // A job version with bits already set inside the mask (ckpool passes such
  // versions through): BIP 310's rebuild and ckpool's OR must both give the
  // version that was hashed, for every roll, and no two rolls may collide.
  for (const uint32_t version : {0x20000000u, 0x20006000u, 0x3fffe000u & ~0x00012000u}) {
    const uint32_t mask = 0x1fffe000;
    protocol::WorkItem in = testing::test_job("j", 4, mask);
    in.job.version = version;
    const auto job = make_job_context(in, 1);
    EXPECT_EQ(job->version_rolls,
              std::min<uint32_t>(kMaxVersionRolls, 1u << std::popcount(mask & ~version)));
    std::set<uint32_t> seen;
    for (uint32_t roll = 0; roll < job->version_rolls; ++roll) {
      const uint32_t hashed = rolled_version(version, mask, roll);
      const uint32_t bits = hashed & mask;  // what the share carries
      EXPECT_EQ((version & ~mask) | bits, hashed) << "BIP 310, roll " << roll;
      EXPECT_EQ(version | bits, hashed) << "ckpool, roll " << roll;
      EXPECT_TRUE(seen.insert(hashed).second) << "roll " << roll;
    }
  }
}

TEST(Precompute, HeaderForExtranonce2KHasTheMerkleRootOfThatCoinbase) {
  const auto job = make_job_context(testing::test_job(), 1);
  for (uint64_t k : {0ull, 1ull, 255ull, 65536ull}) {
    const auto midstate = build_midstate(job, k);
    const auto en2 = extranonce2_bytes(k, 4);
    EXPECT_EQ(midstate->extranonce2, en2);
    const auto coinbase =
        protocol::build_coinbase(job->work.job, job->work.extranonce.extranonce1, en2);
    const auto root = protocol::merkle_root(coinbase, job->work.job.merkle_branch);
    EXPECT_EQ(std::memcmp(midstate->header.data() + 36, root.data(), 32), 0) << k;
    const auto scan = hashcore::scan_job_from_header(midstate->header, job->work.share_target);
    EXPECT_EQ(midstate->prepared.job.midstate, scan.midstate);
    EXPECT_EQ(midstate->prepared.job.tail, scan.tail);
  }
}

TEST(Precompute, VersionRollsComeBeforeTheNextExtranonce2) {
  const auto job = make_job_context(testing::test_job("j", 4, 0x1fffe000), 1);
  EXPECT_EQ(job->version_rolls, kMaxVersionRolls);
  const auto m1 = build_midstate(job, 1);
  EXPECT_EQ(m1->extranonce2, extranonce2_bytes(0, 4));
  EXPECT_EQ(m1->version, 0x20002000u);
  const auto m17 = build_midstate(job, kMaxVersionRolls + 1);
  EXPECT_EQ(m17->extranonce2, extranonce2_bytes(1, 4));
  EXPECT_EQ(m17->version, 0x20002000u);
  uint32_t header_version = 0;
  std::memcpy(&header_version, m17->header.data(), 4);  // little-endian hosts only
  EXPECT_EQ(header_version, 0x20002000u);
}

TEST(Precompute, TheCacheReusesMidstates) {
  Precompute precompute(8);
  const auto job = precompute.set_job(testing::test_job());
  const auto a = precompute.midstate(*job, 3);
  const auto b = precompute.midstate(*job, 3);
  EXPECT_EQ(a, b);
  EXPECT_EQ(precompute.stats().hits, 1u);
  EXPECT_EQ(precompute.stats().misses, 1u);
  EXPECT_FALSE(precompute.midstate(*job, job->midstate_count));
}

TEST(Precompute, TheCacheIsBoundedAndEvictsTheLeastRecent) {
  Precompute precompute(2);
  const auto job = precompute.set_job(testing::test_job());
  precompute.midstate(*job, 0);
  precompute.midstate(*job, 1);
  precompute.midstate(*job, 0);  // 1 is now the least recent
  precompute.midstate(*job, 2);
  EXPECT_EQ(precompute.stats().size, 2u);
  EXPECT_EQ(precompute.stats().dropped, 1u);
  precompute.midstate(*job, 0);
  EXPECT_EQ(precompute.stats().hits, 2u);
  precompute.midstate(*job, 1);
  EXPECT_EQ(precompute.stats().misses, 4u);
}

TEST(Precompute, ANewJobDropsTheOldMidstatesButHandedOutOnesStayValid) {
  Precompute precompute;
  const auto old_job = precompute.set_job(testing::test_job("a"));
  const auto held = precompute.midstate(*old_job, 0);
  precompute.midstate(*old_job, 1);
  const auto new_job = precompute.set_job(testing::test_job("b", 4, 0, false));
  EXPECT_EQ(precompute.stats().size, 0u);
  EXPECT_EQ(precompute.stats().dropped, 2u);
  EXPECT_FALSE(precompute.midstate(*old_job, 0));  // superseded
  EXPECT_EQ(held->job->work.job.job_id, "a");
  EXPECT_TRUE(precompute.midstate(*new_job, 0));
  precompute.clear();
  EXPECT_FALSE(precompute.current());
  EXPECT_FALSE(precompute.midstate(*new_job, 0));
}

}  // namespace
}  // namespace synthminer::scheduler
