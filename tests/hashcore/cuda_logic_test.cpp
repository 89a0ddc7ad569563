// The CUDA kernel's arithmetic (hashcore/cuda/sha256d_device.h), compiled
// here as host C++: tested on every CI run, GPU or not.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>

#include "hashcore/cuda/sha256d_device.h"
#include "hashcore/known_vectors.h"
#include "hashcore/scan_constants.h"

namespace synthminer::hashcore::cuda {
namespace {

// What the device does for a range, then what the host does with its hits.
ScanResult scan_like_the_gpu(const ScanJob& job, NonceRange range) {
  const ScanConstants k = make_scan_constants(job);
  ScanResult r;
  const uint64_t end = range.start + std::min<uint64_t>(range.count, (1ull << 32) - range.start);
  for (uint64_t n = range.start; n < end; ++n) {
    const auto nonce = static_cast<uint32_t>(n);
    if (DeviceScan<>::passes(k, nonce) && meets_target(header_hash(job, nonce), job.target)) {
      r.nonces.push_back(nonce);
    }
  }
  r.hashes = end - range.start;
  return r;
}

TEST(CudaKernelLogic, FindsTheGenesisNonce) {
  const ScanJob job = scan_job_from_header(genesis_header(), genesis_target());
  const ScanConstants k = make_scan_constants(job);
  EXPECT_TRUE(DeviceScan<>::passes(k, kGenesisNonce));
  EXPECT_EQ(scan_like_the_gpu(job, {kGenesisNonce - 100, 200}).nonces,
            std::vector<uint32_t>{kGenesisNonce});
}

TEST(CudaKernelLogic, MatchesTheReferenceOnRandomJobs) {
  std::mt19937_64 rng(2024);
  for (int round = 0; round < 3; ++round) {
    ScanJob job;
    for (uint32_t& w : job.midstate) w = static_cast<uint32_t>(rng());
    for (uint8_t& b : job.tail) b = static_cast<uint8_t>(rng());
    job.target = Target::max();
    job.target.limbs[7] = 0x00400000 | (static_cast<uint32_t>(rng()) & 0x00ffffff);
    job.target.limbs[6] = static_cast<uint32_t>(rng());
    for (const NonceRange range : {NonceRange{static_cast<uint32_t>(rng()), 40000},
                                   NonceRange{0xffffffffu - 30000, 30001}}) {
      const ScanResult want = scan_reference(job, range);
      const ScanResult got = scan_like_the_gpu(job, range);
      EXPECT_EQ(got.hashes, want.hashes);
      ASSERT_EQ(got.nonces, want.nonces) << "round " << round << " start " << range.start;
      EXPECT_FALSE(want.nonces.empty());
    }
  }
}

// Version rolls of one random header: the same tail, new first blocks.
std::vector<ScanConstants> random_rolls(std::mt19937_64& rng, int n, uint32_t target_top) {
  ScanJob job;
  for (uint8_t& b : job.tail) b = static_cast<uint8_t>(rng());
  job.target = Target::max();
  job.target.limbs[7] = target_top;
  std::vector<ScanConstants> rolls;
  for (int i = 0; i < n; ++i) {
    for (uint32_t& w : job.midstate) w = static_cast<uint32_t>(rng());
    rolls.push_back(make_scan_constants(job));
  }
  return rolls;
}

template <int kN>
void expect_multi_matches_single(uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto rolls = random_rolls(rng, kN, 0x3fffffff);  // 1 in 4 passes
  int passed = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto nonce = static_cast<uint32_t>(rng());
    const uint32_t mask = DeviceScan<>::passes_multi<kN>(rolls.data(), nonce);
    for (int j = 0; j < kN; ++j) {
      ASSERT_EQ((mask >> j) & 1, DeviceScan<>::passes(rolls[j], nonce) ? 1u : 0u)
          << kN << " rolls, roll " << j << ", nonce " << nonce;
      passed += (mask >> j) & 1;
    }
    EXPECT_EQ(mask >> kN, 0u);
  }
  EXPECT_GT(passed, 0);
}

TEST(CudaKernelLogic, VersionRollsMatchOneHeaderAtATime) {
  expect_multi_matches_single<2>(31);
  expect_multi_matches_single<4>(37);
  expect_multi_matches_single<8>(41);
}

TEST(CudaKernelLogic, SharedScheduleGivesEachHeadersFirstHash) {
  using Lanes = Sha256dLanes<CudaLane<>>;
  std::mt19937_64 rng(43);
  ScanJob job;
  for (uint8_t& b : job.tail) b = static_cast<uint8_t>(rng());
  std::vector<ScanJob> jobs;
  std::vector<ScanConstants> rolls;
  for (int j = 0; j < 4; ++j) {
    for (uint32_t& w : job.midstate) w = static_cast<uint32_t>(rng());
    jobs.push_back(job);
    rolls.push_back(make_scan_constants(job));
  }
  for (int i = 0; i < 200; ++i) {
    const auto nonce = static_cast<uint32_t>(rng());
    uint32_t together[4][8];
    Lanes::first_hash_multi<4>(rolls.data(), bswap32(nonce), together);
    for (int j = 0; j < 4; ++j) {
      // The reference: the second block (tail, nonce, padding) compressed
      // into the midstate.
      std::array<uint8_t, 64> block{};
      std::copy(jobs[j].tail.begin(), jobs[j].tail.begin() + 12, block.begin());
      for (int b = 0; b < 4; ++b) block[12 + b] = static_cast<uint8_t>(nonce >> (8 * b));
      block[16] = 0x80;
      block[62] = 0x02;  // 640 bits
      block[63] = 0x80;
      State want = jobs[j].midstate;
      compress_reference(want, block.data());
      for (int w = 0; w < 8; ++w) ASSERT_EQ(together[j][w], want[w]) << "roll " << j;
    }
  }
}

}  // namespace
}  // namespace synthminer::hashcore::cuda
