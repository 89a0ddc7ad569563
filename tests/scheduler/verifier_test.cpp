// Candidate verification, hardware errors, blocks, the generation counter
// and stale shares.
#include "scheduler/verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "hashcore/scan.h"
#include "protocol/work.h"
#include "test_jobs.h"

namespace synthminer::scheduler {
namespace {

// The first nonce of `midstate` that meets its share target, and the first that does not.
std::pair<uint32_t, uint32_t> find_nonces(const Midstate& midstate) {
  const auto found = hashcore::scan_reference(midstate.prepared.job, {0, 1u << 14});
  EXPECT_FALSE(found.nonces.empty());
  uint32_t miss = 0;
  while (std::find(found.nonces.begin(), found.nonces.end(), miss) != found.nonces.end()) ++miss;
  return {found.nonces.empty() ? 0 : found.nonces.front(), miss};
}

std::shared_ptr<const Midstate> midstate_for(protocol::WorkItem in, JobGeneration& generation,
                                             uint64_t id = 0) {
  const uint64_t job_generation = generation.on_job(in.job.clean_jobs);
  return build_midstate(make_job_context(std::move(in), 1, job_generation), id);
}

TEST(JobGeneration, OnlyACleanJobStartsANewGeneration) {
  JobGeneration generation;
  const uint64_t first = generation.on_job(true);
  EXPECT_EQ(generation.on_job(false), first);
  EXPECT_FALSE(generation.is_stale(first));
  const uint64_t second = generation.on_job(true);
  EXPECT_EQ(second, first + 1);
  EXPECT_TRUE(generation.is_stale(first));
  EXPECT_EQ(generation.current(), second);
}

TEST(Verifier, ABruteForcedShareVerifies) {
  JobGeneration generation;
  Verifier verifier(generation);
  const auto midstate = midstate_for(testing::test_job("j", 4, 0x1fffe000), generation, 17);
  const auto [good, bad] = find_nonces(*midstate);
  const auto result = verifier.verify("cpu0", *midstate, good);
  EXPECT_EQ(result.fate, CandidateFate::kShare) << result.reason;
  ASSERT_TRUE(result.share);
  EXPECT_EQ(result.share->job_id, "j");
  EXPECT_EQ(result.share->nonce, good);
  EXPECT_EQ(result.share->extranonce2, extranonce2_bytes(1, 4));
  EXPECT_EQ(result.share->ntime, midstate->job->work.job.ntime);
  EXPECT_EQ(result.share->version_bits, std::optional<uint32_t>(0x2000));
  EXPECT_FALSE(result.block);
  // The share as the pool rebuilds it from its fields.
  const auto& in = midstate->job->work;
  const uint32_t version = (in.job.version & ~in.version_mask) | *result.share->version_bits;
  const auto header = protocol::share_header(in.job, in.extranonce, result.share->extranonce2,
                                             version, result.share->ntime, result.share->nonce);
  EXPECT_TRUE(hashcore::meets_target(hashcore::sha256d(header), in.share_target));
  EXPECT_EQ(result.hash, hashcore::header_hash(midstate->prepared.job, good));
  EXPECT_EQ(verifier.stats().shares, 1u);
  (void)bad;
}

TEST(Verifier, NoVersionBitsWithoutRolling) {
  JobGeneration generation;
  Verifier verifier(generation);
  const auto midstate = midstate_for(testing::test_job(), generation);
  const auto result = verifier.verify("cpu0", *midstate, find_nonces(*midstate).first);
  ASSERT_TRUE(result.share);
  EXPECT_FALSE(result.share->version_bits);
}

TEST(Verifier, AWrongNonceIsAHardwareError) {
  JobGeneration generation;
  Verifier verifier(generation);
  const auto midstate = midstate_for(testing::test_job(), generation);
  const auto result = verifier.verify("gpu0", *midstate, find_nonces(*midstate).second);
  EXPECT_EQ(result.fate, CandidateFate::kHardwareError);
  EXPECT_FALSE(result.share);
  EXPECT_EQ(verifier.stats().hardware_errors, 1u);
  EXPECT_EQ(verifier.device("gpu0").hardware_errors, 1u);
  EXPECT_EQ(verifier.device("cpu0").candidates, 0u);
}

TEST(Verifier, AHashUnderTheNetworkTargetIsABlock) {
  JobGeneration generation;
  Verifier verifier(generation);
  protocol::WorkItem in = testing::test_job();
  in.job.nbits = 0x2100ffff;  // a network target nearly every hash meets
  const auto midstate = midstate_for(in, generation);
  const auto result = verifier.verify("cpu0", *midstate, find_nonces(*midstate).first);
  EXPECT_EQ(result.fate, CandidateFate::kShare);
  EXPECT_TRUE(result.block);
  EXPECT_EQ(verifier.stats().blocks, 1u);
}

TEST(Verifier, SharesOfACleanedGenerationAreStale) {
  JobGeneration generation;
  Verifier verifier(generation);
  const auto old = midstate_for(testing::test_job("old"), generation);
  const uint32_t nonce = find_nonces(*old).first;
  midstate_for(testing::test_job("new", 4, 0, true), generation);  // clean: supersedes
  const auto result = verifier.verify("cpu0", *old, nonce);
  EXPECT_EQ(result.fate, CandidateFate::kStale);
  EXPECT_EQ(result.reason, "job cleaned");
  EXPECT_EQ(verifier.stats().stale, 1u);
  EXPECT_EQ(verifier.stats().stale_reasons.at("job cleaned"), 1u);
  EXPECT_EQ(verifier.stats().shares, 0u);
}

TEST(Verifier, SharesOfAJobSupersededWithoutCleanAreKept) {
  JobGeneration generation;
  Verifier verifier(generation);
  const auto old = midstate_for(testing::test_job("old"), generation);
  midstate_for(testing::test_job("new", 4, 0, false), generation);
  const auto result = verifier.verify("cpu0", *old, find_nonces(*old).first);
  EXPECT_EQ(result.fate, CandidateFate::kShare);
}

TEST(DeviceHealth, BacksOffThenDisablesWithAReason) {
  DeviceHealth health(HealthPolicy{100, 10, 0.05, 0.25});
  for (int i = 0; i < 50; ++i) health.record(true);
  EXPECT_EQ(health.state(), DeviceState::kHealthy);
  for (int i = 0; i < 5; ++i) health.record(false);  // 5 / 55
  EXPECT_EQ(health.state(), DeviceState::kBackedOff);
  EXPECT_NE(health.reason().find("hardware error rate"), std::string::npos);
  for (int i = 0; i < 100; ++i) health.record(true);  // the window forgets
  EXPECT_EQ(health.state(), DeviceState::kHealthy);
  for (int i = 0; i < 40; ++i) health.record(false);
  EXPECT_EQ(health.state(), DeviceState::kDisabled);
  for (int i = 0; i < 200; ++i) health.record(true);
  EXPECT_EQ(health.state(), DeviceState::kDisabled);  // for good
  EXPECT_FALSE(health.reason().empty());
}

TEST(DeviceHealth, NoVerdictBeforeEnoughCandidates) {
  DeviceHealth health(HealthPolicy{100, 10, 0.05, 0.25});
  for (int i = 0; i < 9; ++i) health.record(false);
  EXPECT_EQ(health.state(), DeviceState::kHealthy);
  health.record(false);
  EXPECT_EQ(health.state(), DeviceState::kDisabled);
}

TEST(Verifier, ADeviceThatKeepsFailingIsDisabled) {
  JobGeneration generation;
  Verifier verifier(generation, HealthPolicy{20, 5, 0.05, 0.5});
  const auto midstate = midstate_for(testing::test_job(), generation);
  const uint32_t bad = find_nonces(*midstate).second;
  for (int i = 0; i < 5; ++i) verifier.verify("bad", *midstate, bad);
  EXPECT_EQ(verifier.device("bad").state, DeviceState::kDisabled);
  EXPECT_NEAR(verifier.device("bad").error_rate, 1.0, 1e-9);
}

}  // namespace
}  // namespace synthminer::scheduler
